"""Kabupaten Bungo: Bappeda and the service offices; weak points lead to matching training."""

from engine.demo_agency.model import AgencyDemo, Course, Iki, Person, Unit

BAPPEDA = (Iki("Tersusunnya dokumen perencanaan pembangunan daerah", "Dokumen perencanaan tersusun tepat waktu",
               "kuantitas", 12, "dokumen"),
           Iki("Meningkatnya keselarasan program perangkat daerah", "Persentase renja OPD yang selaras dengan RKPD",
               "kualitas", 95, "%"))
DPMPTSP = (Iki("Meningkatnya kemudahan berusaha", "Izin usaha terbit sesuai standar pelayanan", "waktu", 95, "%"),
           Iki("Meningkatnya investasi daerah", "Jumlah izin usaha yang diterbitkan", "kuantitas", 1500, "izin"))
DISDIK = (Iki("Meningkatnya mutu pendidikan dasar", "Persentase sekolah dasar terakreditasi minimal B", "kualitas",
              85, "%"),
          Iki("Terlaksananya pembinaan guru", "Jumlah guru yang mengikuti pembinaan", "kuantitas", 300, "orang"))

DEMO = AgencyDemo(
    key="bungo", cycle="bungo", title="Pemerintah Kabupaten Bungo",
    units=(
        Unit("PEMKAB_BUNGO", "Pemerintah Kabupaten Bungo", None),
        Unit("BAPPEDA_BUNGO", "Badan Perencanaan Pembangunan Daerah Kabupaten Bungo", "PEMKAB_BUNGO", BAPPEDA),
        Unit("DPMPTSP_BUNGO", "Dinas Penanaman Modal dan PTSP Kabupaten Bungo", "PEMKAB_BUNGO", DPMPTSP),
        Unit("DISDIK_BUNGO", "Dinas Pendidikan Kabupaten Bungo", "PEMKAB_BUNGO", DISDIK),
    ),
    people=(
        Person("196907101994031005", "Hasbi Rahman", "PEMKAB_BUNGO", "Sekretaris Daerah"),
        Person("197402222000032004", "Erlina Putri", "BAPPEDA_BUNGO", "Kepala Badan", "196907101994031005"),
        Person("199006182015032003", "Mira Yusnita", "BAPPEDA_BUNGO", "Perencana Ahli Pertama",
               "197402222000032004", "Ahli Pertama"),
        Person("198811302014031002", "Nanda Saputra", "BAPPEDA_BUNGO", "Perencana Ahli Pertama",
               "197402222000032004", "Ahli Pertama"),
        Person("198504072009011004", "Oki Firmansyah", "BAPPEDA_BUNGO", "Perencana Ahli Muda",
               "197402222000032004", "Ahli Muda"),
        Person("197606132002121001", "Zulkifli Hamid", "DPMPTSP_BUNGO", "Kepala Dinas", "196907101994031005"),
        Person("198709252011012002", "Desi Ratnasari", "DPMPTSP_BUNGO", "Analis Perizinan Ahli Pertama",
               "197606132002121001", "Ahli Pertama"),
        Person("199303142019031003", "Rio Pratama", "DPMPTSP_BUNGO", "Pengelola Layanan Perizinan",
               "197606132002121001"),
        Person("197112081997032002", "Yusnaini", "DISDIK_BUNGO", "Kepala Dinas", "196907101994031005"),
        Person("198601192010012004", "Rika Amelia", "DISDIK_BUNGO", "Pengawas Sekolah Ahli Muda",
               "197112081997032002", "Ahli Muda"),
        Person("199209012018011001", "Ferdi Kurniawan", "DISDIK_BUNGO", "Analis Kurikulum",
               "197112081997032002"),
    ),
    employee="199006182015032003", rater="197402222000032004", reviewer="196907101994031005",
    courses=(
        Course("public_speaking", "Public Speaking", 16, "teknis"),
        Course("kerja_tim", "Kerja Sama Tim", 12, "teknis"),
        Course("coaching_mentoring", "Coaching dan Mentoring", 20, "kepemimpinan"),
        Course("pelayanan_prima", "Pelayanan Prima", 24, "teknis"),
        Course("integritas_asn", "Integritas dan Antikorupsi", 16, "e_learning"),
        Course("komunikasi_efektif", "Komunikasi Efektif", 16, "teknis"),
        Course("inovasi_pelayanan", "Inovasi Pelayanan Publik", 20, "manajerial"),
    ),
)
