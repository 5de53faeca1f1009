"""Kecamatan Medan Amplas: the complaint service, rated on fixed objective indicators."""

from engine.demo_agency.model import AgencyDemo, Person, Unit

DEMO = AgencyDemo(
    key="amplas", cycle="amplas", title="Kecamatan Medan Amplas",
    units=(
        Unit("KEC_AMPLAS", "Kecamatan Medan Amplas", None),
        Unit("SEKSI_PELAYANAN", "Seksi Pelayanan Umum dan Pengaduan", "KEC_AMPLAS"),
        Unit("SEKSI_TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum", "KEC_AMPLAS"),
    ),
    people=(
        Person("197106141996031003", "Muhammad Yunus Siregar", "KEC_AMPLAS", "Camat Medan Amplas"),
        Person("197609302002122002", "Dra. Hartini Lubis", "KEC_AMPLAS", "Sekretaris Camat", "197106141996031003"),
        Person("198003252006041003", "Budi Santoso Harahap", "SEKSI_PELAYANAN", "Kepala Seksi Pelayanan Umum",
               "197609302002122002"),
        Person("198812142012022004", "Rahmawati Nasution", "SEKSI_PELAYANAN", "Pengelola Pengaduan Masyarakat",
               "198003252006041003"),
        Person("199107072015031001", "Andi Pratama", "SEKSI_PELAYANAN", "Pengadministrasi Layanan",
               "198003252006041003"),
        Person("199402282019032003", "Siti Aisyah Daulay", "SEKSI_PELAYANAN", "Pengolah Data Pengaduan",
               "198003252006041003"),
        Person("198206192009011002", "Hendra Gunawan", "SEKSI_TRANTIB", "Kepala Seksi Trantib",
               "197609302002122002"),
        Person("199011112014031005", "Fauzan Rangkuti", "SEKSI_TRANTIB", "Polisi Pamong Praja Pelaksana",
               "198206192009011002"),
        Person("199306062018012002", "Lina Marpaung", "SEKSI_TRANTIB", "Pengelola Pengaduan Ketertiban",
               "198206192009011002"),
    ),
    employee="199402282019032003", rater="198003252006041003", reviewer="197609302002122002",
)
