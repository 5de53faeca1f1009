"""Kota Binjai: the health office and its puskesmas; annual work plans rated by supervisor, peers and public."""

from engine.demo_agency.model import AgencyDemo, Iki, Person, Unit

DINKES = (Iki("Meningkatnya derajat kesehatan masyarakat", "Jumlah pasien yang dilayani", "kuantitas", 12000,
              "pasien"),
          Iki("Meningkatnya kepuasan masyarakat atas layanan kesehatan", "Indeks kepuasan pasien", "kualitas", 85,
              "indeks"))
PUSKESMAS = (Iki("Meningkatnya layanan kesehatan dasar", "Jumlah pasien rawat jalan terlayani", "kuantitas", 8000,
                 "pasien"),
             Iki("Meningkatnya cakupan imunisasi", "Persentase bayi dengan imunisasi dasar lengkap", "kualitas", 95,
                 "%"))

DEMO = AgencyDemo(
    key="binjai", cycle="binjai", title="Pemerintah Kota Binjai",
    units=(
        Unit("PEMKO_BINJAI", "Pemerintah Kota Binjai", None),
        Unit("DINKES_BINJAI", "Dinas Kesehatan Kota Binjai", "PEMKO_BINJAI", DINKES),
        Unit("PKM_BINJAI_KOTA", "Puskesmas Binjai Kota", "DINKES_BINJAI", PUSKESMAS),
        Unit("PKM_TANDAM", "Puskesmas Tandam Hilir", "DINKES_BINJAI", PUSKESMAS),
    ),
    people=(
        Person("196912031995031002", "Irwansyah Nasution", "PEMKO_BINJAI", "Sekretaris Daerah"),
        Person("197304112000032003", "dr. Sri Rezeki Ginting", "DINKES_BINJAI", "Kepala Dinas Kesehatan",
               "196912031995031002"),
        Person("197911222006041002", "dr. Ahmad Fauzi Lubis", "PKM_BINJAI_KOTA", "Kepala Puskesmas",
               "197304112000032003"),
        Person("198802172011012004", "Ns. Rina Siregar", "PKM_BINJAI_KOTA", "Perawat Ahli Muda",
               "197911222006041002", "Ahli Muda"),
        Person("199106082015032002", "Bidan Yuli Harahap", "PKM_BINJAI_KOTA", "Bidan Ahli Pertama",
               "197911222006041002", "Ahli Pertama"),
        Person("199012192014031003", "Dedi Syahputra", "PKM_BINJAI_KOTA", "Pranata Laboratorium Kesehatan",
               "197911222006041002", "Terampil"),
        Person("199404272019032003", "apt. Nurul Hasanah", "PKM_BINJAI_KOTA", "Apoteker Ahli Pertama",
               "197911222006041002", "Ahli Pertama"),
        Person("198103052008012002", "dr. Lisa Purba", "PKM_TANDAM", "Kepala Puskesmas", "197304112000032003"),
        Person("198907142012022001", "Ns. Maya Simanjuntak", "PKM_TANDAM", "Perawat Ahli Pertama",
               "198103052008012002", "Ahli Pertama"),
        Person("199210102017011002", "Rizal Tarigan", "PKM_TANDAM", "Sanitarian Ahli Pertama",
               "198103052008012002", "Ahli Pertama"),
        Person("199508232020122005", "Putri Sembiring", "PKM_TANDAM", "Pengadministrasi Umum",
               "198103052008012002"),
    ),
    employee="199106082015032002", rater="197911222006041002", reviewer="197304112000032003",
)
