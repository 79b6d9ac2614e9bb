/**
 * Indonesian root words (kata dasar) the dictionary stemmer checks its candidates against,
 * after the Nazief–Adriani algorithm: an affix is only taken off when what remains is a
 * known root, so "pendaftaran" becomes "daftar", "penerimaan" "terima", "kepesertaan"
 * "peserta", while "pegawai" and "pesan" stay whole. Words whose root is not listed fall
 * back to the light affix stripper. The list covers the vocabulary of government
 * application descriptions (administration, services, finance, health, education,
 * permits); it is not a full dictionary, and need not be: a missing root costs only the
 * light stripper's occasional over-stemming.
 */
export const ROOTS: ReadonlySet<string> = new Set(
  `
  ada adu agenda ajar aju akses akta alam alih alir alokasi ambil angkut anggar anggota antar antre arah arsip asal asuh atur awas
  bagi baca bahas bahan bakar balai balas balita banding bangun bantu banyak baru batas bayar bebas beda beli benar beri berita berkas
  bimbing bina buat budaya buka buku bukti bulan bumi buruh butuh
  cair cakup capai cari catat cegah cek cetak cipta cocok cuti
  daftar dagang dasar data datang dengar desa didik dinas diri duduk dukung dana
  edar evaluasi
  gabung gaji ganti gedung gerak golong guna gudang gugat
  hadir hapus harga hasil hibah hidup hitung hubung hukum hutang
  iklan ikut ingat inap indeks informasi insentif integrasi isi istirahat izin iuran
  jabat jadwal jalan jamin jangkau jasa jawab jual juang
  kaji kantor karya kasih kelola keluar keluarga kembang kena kendali kerja kirim klaim kota kuasa kumpul kunjung kurang
  laku lalu lampir lapor latih layan lengkap lihat lindung lingkung lintas lulus luar
  makan maksud masuk mati milik minta mohon mudah mulai murni
  naik nikah nilai nomor nyata naskah
  olah operasi
  pajak pakai panggil pantau paraf pasang pasar pasien pecah pegawai pelihara penuh perintah periksa pesan peserta pikir pilih pimpin pindah pinjam pohon proses pulang pungut pusat putus
  raga rakyat rancang rawat rekam rekap rencana resep retribusi riwayat ruang rumah rusak
  saing sakit salur sampai sampah sasar sehat sekolah selesai seleksi serah serta setor sewa siap siar sidang simpan sita surat susun
  tagih tahan tahun tambah tampil tanah tanam tanda tangan tangga tanggung tarik taruh tata tatap tebang tempat tentu terbit terima terus tetap tindak tinggal tugas tulis tunggak tunjang tunjuk tutup
  uang ubah ukur umum undang unggah untung urus usaha usul utama
  berat giat kenal kinerja pensiun potong puas selenggara setuju siswa
  wajib wakil warga waris wilayah wisata
  `
    .split(/\s+/)
    .filter(Boolean),
);
