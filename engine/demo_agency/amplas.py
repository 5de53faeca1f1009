"""Kecamatan Medan Amplas: the complaint service, rated on fixed objective indicators."""

from engine.demo_agency.model import AgencyDemo, Unit, team

DEMO = AgencyDemo(
    key="amplas", cycle="amplas-v3", title="Kecamatan Medan Amplas",
    units=(
        Unit("KEC_AMPLAS", "Kecamatan Medan Amplas", None),
        Unit("SEKSI_PELAYANAN", "Seksi Pelayanan Umum dan Pengaduan", "KEC_AMPLAS"),
        Unit("SEKSI_TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum", "KEC_AMPLAS"),
    ),
    people=(
        *team("KEC_AMPLAS", None, ("197106141996031003", "Muhammad Yunus Siregar", "Camat Medan Amplas"),
              ("197609302002122002", "Dra. Hartini Lubis", "Sekretaris Camat")),
        *team("SEKSI_PELAYANAN", "197609302002122002",
              ("198003252006041003", "Budi Santoso Harahap", "Kepala Seksi Pelayanan Umum"),
              ("198812142012022004", "Rahmawati Nasution", "Pengelola Pengaduan Masyarakat"),
              ("199107072015031001", "Andi Pratama", "Pengadministrasi Layanan"),
              ("199402282019032003", "Siti Aisyah Daulay", "Pengolah Data Pengaduan")),
        *team("SEKSI_TRANTIB", "197609302002122002", ("198206192009011002", "Hendra Gunawan", "Kepala Seksi Trantib"),
              ("199011112014031005", "Fauzan Rangkuti", "Polisi Pamong Praja Pelaksana"),
              ("199306062018012002", "Lina Marpaung", "Pengelola Pengaduan Ketertiban")),
    ),
    employee="199402282019032003", rater="198003252006041003", reviewer="197609302002122002",
    head=("walikota", "Wali Kota Medan"),
)
