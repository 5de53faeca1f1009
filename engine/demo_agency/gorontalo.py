"""Provinsi Gorontalo: the BKD and two service offices; talent decisions and training programmes."""

from engine.demo_agency.model import AgencyDemo, Course, Iki, Unit, team

BKD = (Iki("Meningkatnya kompetensi ASN Provinsi Gorontalo", "Jumlah ASN yang mengikuti pengembangan kompetensi",
           "kuantitas", 120, "orang"),
       Iki("Tersedianya data manajemen talenta", "Persentase profil talenta ASN yang mutakhir", "kualitas", 90, "%"))
DINKES = (Iki("Meningkatnya mutu pelayanan kesehatan", "Jumlah puskesmas yang terakreditasi paripurna", "kuantitas",
              8, "puskesmas"),
          Iki("Meningkatnya cakupan layanan kesehatan ibu", "Persentase ibu hamil yang mendapat layanan K4",
              "kualitas", 95, "%"))
DUKCAPIL = (Iki("Meningkatnya layanan administrasi kependudukan", "Dokumen kependudukan terbit dalam satu hari",
                "waktu", 95, "%"),
            Iki("Meningkatnya kepemilikan dokumen kependudukan", "Jumlah akta kelahiran yang diterbitkan",
                "kuantitas", 4800, "akta"))

DEMO = AgencyDemo(
    key="gorontalo", cycle="gorontalo-v2", title="Pemerintah Provinsi Gorontalo",
    units=(
        Unit("PEMPROV_GTO", "Pemerintah Provinsi Gorontalo", None),
        Unit("BKD_GTO", "Badan Kepegawaian Daerah Provinsi Gorontalo", "PEMPROV_GTO", BKD),
        Unit("BKD_PKA", "Bidang Pengembangan Kompetensi Aparatur", "BKD_GTO", BKD),
        Unit("DINKES_GTO", "Dinas Kesehatan Provinsi Gorontalo", "PEMPROV_GTO", DINKES),
        Unit("DUKCAPIL_GTO", "Dinas Kependudukan dan Pencatatan Sipil Provinsi Gorontalo", "PEMPROV_GTO", DUKCAPIL),
    ),
    people=(
        *team("PEMPROV_GTO", None, ("196805121993031004", "Sofian Ibrahim", "Sekretaris Daerah")),
        *team("BKD_GTO", "196805121993031004",
              ("197203141998032005", "Rosna Mohamad", "Kepala Badan Kepegawaian Daerah")),
        *team("BKD_PKA", "197203141998032005",
              ("197811052005011003", "Ismail Pakaya", "Kepala Bidang Pengembangan Kompetensi"),
              ("198604172010011002", "Fadli Hulopi", "Analis SDM Aparatur Ahli Muda", "Ahli Muda"),
              ("199001232015032001", "Gita Lamusu", "Widyaiswara Ahli Pertama", "Ahli Pertama"),
              ("198912092014021004", "Hasan Daud", "Analis SDM Aparatur Ahli Pertama", "Ahli Pertama"),
              ("199207142019032002", "Indah Katili", "Pengadministrasi Kepegawaian")),
        *team("DINKES_GTO", "196805121993031004", ("197509282001122003", "Nurhayati Dunggio", "Kepala Dinas Kesehatan"),
              ("198302112008012006", "Yuyun Bagu", "Administrator Kesehatan Ahli Muda", "Ahli Muda"),
              ("199103302017011001", "Rahmat Mooduto", "Epidemiolog Kesehatan Ahli Pertama", "Ahli Pertama")),
        *team("DUKCAPIL_GTO", "196805121993031004",
              ("197704152003121002", "Arfan Tuli", "Kepala Dinas Kependudukan dan Pencatatan Sipil"),
              ("198808082011012005", "Sri Wahyuni Lasama", "Administrator Database Kependudukan", "Ahli Pertama"),
              ("199405052020121003", "Moh. Rizky Hasan", "Pengolah Data Kependudukan")),
    ),
    employee="199207142019032002", rater="197811052005011003", reviewer="197203141998032005",
    head=("gubernur", "Gubernur Gorontalo"),
    courses=(
        Course("pelayanan_publik_berkualitas", "Pelayanan Publik Berkualitas", 24, "teknis"),
        Course("integritas_antikorupsi", "Integritas dan Antikorupsi", 12, "e_learning"),
        Course("manajemen_waktu", "Manajemen Waktu dan Penyelesaian Masalah", 10, "e_learning"),
        Course("komunikasi_efektif", "Teknik Komunikasi Efektif", 16, "teknis"),
        Course("wawasan_kebangsaan", "Wawasan Kebangsaan", 12, "e_learning"),
        Course("manajemen_perubahan", "Manajemen Perubahan", 20, "manajerial"),
        Course("kepemimpinan_tim", "Kepemimpinan Tim", 24, "kepemimpinan"),
    ),
)
