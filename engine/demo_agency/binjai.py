"""Kota Binjai: the health office and its puskesmas; annual work plans rated by supervisor, peers and public."""

from engine.demo_agency.model import AgencyDemo, Iki, Unit, team

DINKES = (Iki("Meningkatnya derajat kesehatan masyarakat", "Jumlah pasien yang dilayani", "kuantitas", 12000,
              "pasien"),
          Iki("Meningkatnya kepuasan masyarakat atas layanan kesehatan", "Indeks kepuasan pasien", "kualitas", 85,
              "indeks"))
PUSKESMAS = (Iki("Meningkatnya layanan kesehatan dasar", "Jumlah pasien rawat jalan terlayani", "kuantitas", 8000,
                 "pasien"),
             Iki("Meningkatnya cakupan imunisasi", "Persentase bayi dengan imunisasi dasar lengkap", "kualitas", 95,
                 "%"))

DEMO = AgencyDemo(
    key="binjai", cycle="binjai-v3", title="Pemerintah Kota Binjai",
    units=(
        Unit("PEMKO_BINJAI", "Pemerintah Kota Binjai", None),
        Unit("DINKES_BINJAI", "Dinas Kesehatan Kota Binjai", "PEMKO_BINJAI", DINKES),
        Unit("PKM_BINJAI_KOTA", "Puskesmas Binjai Kota", "DINKES_BINJAI", PUSKESMAS),
        Unit("PKM_TANDAM", "Puskesmas Tandam Hilir", "DINKES_BINJAI", PUSKESMAS),
    ),
    people=(
        *team("PEMKO_BINJAI", None, ("196912031995031002", "Irwansyah Nasution", "Sekretaris Daerah")),
        *team("DINKES_BINJAI", "196912031995031002",
              ("197304112000032003", "dr. Sri Rezeki Ginting", "Kepala Dinas Kesehatan")),
        *team("PKM_BINJAI_KOTA", "197304112000032003",
              ("197911222006041002", "dr. Ahmad Fauzi Lubis", "Kepala Puskesmas"),
              ("198802172011012004", "Ns. Rina Siregar", "Perawat Ahli Muda", "Ahli Muda"),
              ("199106082015032002", "Bidan Yuli Harahap", "Bidan Ahli Pertama", "Ahli Pertama"),
              ("199012192014031003", "Dedi Syahputra", "Pranata Laboratorium Kesehatan", "Terampil"),
              ("199404272019032003", "apt. Nurul Hasanah", "Apoteker Ahli Pertama", "Ahli Pertama")),
        *team("PKM_TANDAM", "197304112000032003", ("198103052008012002", "dr. Lisa Purba", "Kepala Puskesmas"),
              ("198907142012022001", "Ns. Maya Simanjuntak", "Perawat Ahli Pertama", "Ahli Pertama"),
              ("199210102017011002", "Rizal Tarigan", "Sanitarian Ahli Pertama", "Ahli Pertama"),
              ("199508232020122005", "Putri Sembiring", "Pengadministrasi Umum")),
    ),
    employee="199106082015032002", rater="197911222006041002", reviewer="197304112000032003",
    head=("walikota", "Wali Kota Binjai"),
)
