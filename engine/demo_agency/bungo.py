"""Kabupaten Bungo: Bappeda and the service offices; weak points lead to matching training."""

from engine.demo_agency.model import AgencyDemo, Course, Iki, Unit, team

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
    key="bungo", cycle="bungo-v4", title="Pemerintah Kabupaten Bungo",
    units=(
        Unit("PEMKAB_BUNGO", "Pemerintah Kabupaten Bungo", None),
        Unit("BAPPEDA_BUNGO", "Badan Perencanaan Pembangunan Daerah Kabupaten Bungo", "PEMKAB_BUNGO", BAPPEDA),
        Unit("DPMPTSP_BUNGO", "Dinas Penanaman Modal dan PTSP Kabupaten Bungo", "PEMKAB_BUNGO", DPMPTSP),
        Unit("DISDIK_BUNGO", "Dinas Pendidikan Kabupaten Bungo", "PEMKAB_BUNGO", DISDIK),
    ),
    people=(
        *team("PEMKAB_BUNGO", None, ("196907101994031005", "Hasbi Rahman", "Sekretaris Daerah")),
        *team("BAPPEDA_BUNGO", "196907101994031005", ("197402222000032004", "Erlina Putri", "Kepala Badan"),
              ("199006182015032003", "Mira Yusnita", "Perencana Ahli Pertama", "Ahli Pertama"),
              ("198811302014031002", "Nanda Saputra", "Perencana Ahli Pertama", "Ahli Pertama"),
              ("198504072009011004", "Oki Firmansyah", "Perencana Ahli Muda", "Ahli Muda")),
        *team("DPMPTSP_BUNGO", "196907101994031005", ("197606132002121001", "Zulkifli Hamid", "Kepala Dinas"),
              ("198709252011012002", "Desi Ratnasari", "Analis Perizinan Ahli Pertama", "Ahli Pertama"),
              ("199303142019031003", "Rio Pratama", "Pengelola Layanan Perizinan")),
        *team("DISDIK_BUNGO", "196907101994031005", ("197112081997032002", "Yusnaini", "Kepala Dinas"),
              ("198601192010012004", "Rika Amelia", "Pengawas Sekolah Ahli Muda", "Ahli Muda"),
              ("199209012018011001", "Ferdi Kurniawan", "Analis Kurikulum")),
    ),
    employee="199006182015032003", rater="197402222000032004", reviewer="196907101994031005",
    head=("bupati", "Bupati Bungo"),
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
