"""Kota Solok: the city's service offices; verified public complaints count against the employee concerned
(cycle version 3), trends across years."""

from engine.demo_agency.model import AgencyDemo, Complaint, Iki, Person, Unit

DUKCAPIL = (Iki("Meningkatnya kecepatan layanan adminduk", "KTP-el dan KK terbit pada hari yang sama", "waktu", 90,
                "%"),
            Iki("Meningkatnya cakupan akta kelahiran", "Jumlah akta kelahiran yang diterbitkan", "kuantitas", 1800,
                "akta"))
DPMPTSP = (Iki("Meningkatnya layanan perizinan daring", "Persentase izin diajukan lewat layanan daring", "kualitas",
               80, "%"),
           Iki("Terselesaikannya izin tepat waktu", "Izin selesai sesuai standar pelayanan", "waktu", 95, "%"))
PUSKESMAS = (Iki("Meningkatnya layanan kesehatan dasar", "Jumlah kunjungan pasien terlayani", "kuantitas", 9000,
                 "kunjungan"),
             Iki("Meningkatnya kepuasan pasien", "Keluhan pasien ditindaklanjuti dalam 3 hari", "waktu", 100, "%"))

DEMO = AgencyDemo(
    key="solok", cycle="solok-v3", title="Pemerintah Kota Solok",
    units=(
        Unit("PEMKO_SOLOK", "Pemerintah Kota Solok", None),
        Unit("DUKCAPIL_SLK", "Dinas Kependudukan dan Pencatatan Sipil Kota Solok", "PEMKO_SOLOK", DUKCAPIL),
        Unit("DPMPTSP_SLK", "Dinas Penanaman Modal dan PTSP Kota Solok", "PEMKO_SOLOK", DPMPTSP),
        Unit("PKM_TANAHGARAM", "Puskesmas Tanah Garam", "PEMKO_SOLOK", PUSKESMAS),
    ),
    people=(
        Person("196810151994031003", "Syaiful A.", "PEMKO_SOLOK", "Sekretaris Daerah"),
        Person("197505212000122002", "Yenni Marlina", "DUKCAPIL_SLK", "Kepala Dinas", "196810151994031003"),
        Person("198807092011012003", "Rahmi Yulita", "DUKCAPIL_SLK", "Administrator Database Kependudukan",
               "197505212000122002", "Ahli Pertama"),
        Person("199104252015031002", "Andri Saputra", "DUKCAPIL_SLK", "Pengelola Layanan Kependudukan",
               "197505212000122002"),
        Person("199511022020122001", "Silvia Anggraini", "DUKCAPIL_SLK", "Pengadministrasi Kependudukan",
               "197505212000122002"),
        Person("197801182005011002", "Hendri Putra", "DPMPTSP_SLK", "Kepala Dinas", "196810151994031003"),
        Person("198612032010012005", "Nofri Yanti", "DPMPTSP_SLK", "Penata Perizinan Ahli Muda",
               "197801182005011002", "Ahli Muda"),
        Person("199308172019031004", "Fajri Ramadhan", "DPMPTSP_SLK", "Pengelola Pengaduan", "197801182005011002"),
        Person("197909262006042003", "dr. Meri Susanti", "PKM_TANAHGARAM", "Kepala Puskesmas",
               "196810151994031003"),
        Person("199002142014032004", "Ns. Dewi Kartika", "PKM_TANAHGARAM", "Perawat Ahli Pertama",
               "197909262006042003", "Ahli Pertama"),
        Person("198905302012021001", "Rudi Hartono", "PKM_TANAHGARAM", "Pranata Laboratorium Kesehatan",
               "197909262006042003", "Terampil"),
    ),
    employee="199511022020122001", rater="197505212000122002", reviewer="196810151994031003",
    complaints=(
        Complaint("DUKCAPIL_SLK", "Petugas loket KTP-el meminta uang tambahan supaya KTP saya selesai hari itu juga.",
                  45, "verified", about="199104252015031002", note="Diakui petugas; diperiksa bersama Inspektorat.",
                  reply="Terima kasih. Petugas sudah diperiksa dan dibina; layanan KTP-el tidak dipungut biaya."),
        Complaint("DUKCAPIL_SLK", "Saya juga dimintai uang di loket KTP-el minggu lalu, sama seperti warga lain.", 41,
                  "duplicate", repeats=0, note="Kejadian yang sama dengan pengaduan sebelumnya."),
        Complaint("DUKCAPIL_SLK", "Katanya blangko KTP habis, padahal tidak ada pengumuman apa pun.", 30, "unfounded",
                  note="Blangko tersedia setiap hari kerja; stok diumumkan di papan layanan.",
                  reply="Blangko KTP-el tersedia; jadwal dan stok diumumkan di papan layanan dan Instagram dinas."),
        Complaint("DPMPTSP_SLK", "Izin usaha saya terlambat dua minggu dari standar pelayanan tanpa penjelasan.", 24,
                  "verified", about="198612032010012005", note="Berkas tertahan di meja verifikasi 12 hari."),
        Complaint("DUKCAPIL_SLK", "Nomor antrean akta kelahiran dilewati, saya menunggu sampai loket tutup.", 5),
    ),
)
