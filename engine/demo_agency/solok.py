"""Kota Solok: the city's service offices; verified public complaints count against the employee concerned
(cycle version 3), trends across years."""

from engine.demo_agency.model import AgencyDemo, Complaint, Iki, Unit, team

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
    key="solok", cycle="solok-v4", title="Pemerintah Kota Solok",
    units=(
        Unit("PEMKO_SOLOK", "Pemerintah Kota Solok", None),
        Unit("DUKCAPIL_SLK", "Dinas Kependudukan dan Pencatatan Sipil Kota Solok", "PEMKO_SOLOK", DUKCAPIL),
        Unit("DPMPTSP_SLK", "Dinas Penanaman Modal dan PTSP Kota Solok", "PEMKO_SOLOK", DPMPTSP),
        Unit("PKM_TANAHGARAM", "Puskesmas Tanah Garam", "PEMKO_SOLOK", PUSKESMAS),
    ),
    people=(
        *team("PEMKO_SOLOK", None, ("196810151994031003", "Syaiful A.", "Sekretaris Daerah")),
        *team("DUKCAPIL_SLK", "196810151994031003", ("197505212000122002", "Yenni Marlina", "Kepala Dinas"),
              ("198807092011012003", "Rahmi Yulita", "Administrator Database Kependudukan", "Ahli Pertama"),
              ("199104252015031002", "Andri Saputra", "Pengelola Layanan Kependudukan"),
              ("199511022020122001", "Silvia Anggraini", "Pengadministrasi Kependudukan")),
        *team("DPMPTSP_SLK", "196810151994031003", ("197801182005011002", "Hendri Putra", "Kepala Dinas"),
              ("198612032010012005", "Nofri Yanti", "Penata Perizinan Ahli Muda", "Ahli Muda"),
              ("199308172019031004", "Fajri Ramadhan", "Pengelola Pengaduan")),
        *team("PKM_TANAHGARAM", "196810151994031003", ("197909262006042003", "dr. Meri Susanti", "Kepala Puskesmas"),
              ("199002142014032004", "Ns. Dewi Kartika", "Perawat Ahli Pertama", "Ahli Pertama"),
              ("198905302012021001", "Rudi Hartono", "Pranata Laboratorium Kesehatan", "Terampil")),
    ),
    employee="199511022020122001", rater="197505212000122002", reviewer="196810151994031003",
    head=("walikota", "Wali Kota Solok"),
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
