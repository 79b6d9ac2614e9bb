import { DEMO_AGENCIES } from '@simpul/contracts/demo';
import type { ApplicationHosting, ApplicationStatus } from '../applications/application-store.ts';

/**
 * Demo catalogue: the national aplikasi umum plus the applications of the nine agencies
 * of the domain notes, with the duplication that is really out there: every region runs
 * its own e-office, personnel, complaint, planning and clinic systems, each with its own
 * name and wording. Deterministic: the same list on every run.
 */
export interface DemoApplication {
  ownerAgencyCode: string;
  name: string;
  description: string;
  functionCodes: string[];
  kind: 'UMUM' | 'KHUSUS';
  status: ApplicationStatus;
  annualCostRupiah: bigint;
  hosting: ApplicationHosting;
  userCount: number;
  dataHeld: string[];
  subsystem: string | null;
  services: { identifier: string; description: string }[];
  /** The template (kind of system) of an agency's first copy, so adoptions can name what they retire. */
  template: string | null;
}

/** The national aplikasi umum and the agencies that run them (some are not among the demo agencies). */
export const DEMO_COMMON_APPLICATIONS = [
  [
    'ANRI',
    'SRIKANDI',
    ['PERSURATAN'],
    'Sistem Informasi Kearsipan Dinamis Terintegrasi: pembuatan naskah dinas, surat masuk dan surat keluar, disposisi, tanda tangan elektronik dan pengelolaan arsip dinamis.',
    ['naskah dinas', 'arsip dinamis'],
  ],
  [
    'BKN',
    'SIASN',
    ['KEPEGAWAIAN'],
    'Sistem Informasi Aparatur Sipil Negara: data induk pegawai ASN, riwayat pangkat dan golongan, jabatan, mutasi, kenaikan pangkat dan pensiun.',
    ['data pegawai', 'riwayat jabatan'],
  ],
  [
    'BKN',
    'e-Kinerja',
    ['KINERJA', 'KEPEGAWAIAN'],
    'Manajemen kinerja ASN: sasaran kinerja pegawai (SKP), penilaian perilaku kerja, capaian kinerja dan evaluasi kinerja pegawai.',
    ['SKP', 'penilaian kinerja'],
  ],
  [
    'KEMENDAGRI',
    'SIPD',
    ['PERENCANAAN', 'PENGANGGARAN', 'KEUANGAN'],
    'Sistem Informasi Pemerintahan Daerah: perencanaan pembangunan daerah, penyusunan RKPD, penganggaran APBD dan penatausahaan keuangan daerah.',
    ['RKPD', 'APBD'],
  ],
  [
    'LKPP',
    'SPSE',
    ['PENGADAAN'],
    'Sistem Pengadaan Secara Elektronik: tender, seleksi, e-katalog dan kontrak pengadaan barang dan jasa pemerintah.',
    ['paket tender', 'penyedia'],
  ],
  [
    'KEMENPANRB',
    'SP4N-LAPOR!',
    ['PENGADUAN'],
    'Layanan Aspirasi dan Pengaduan Online Rakyat: pengaduan masyarakat, aspirasi dan permintaan informasi yang ditindaklanjuti instansi.',
    ['aduan', 'tindak lanjut'],
  ],
  [
    'BAPPENAS',
    'KRISNA',
    ['PERENCANAAN', 'PENGANGGARAN'],
    'Kolaborasi Perencanaan dan Informasi Kinerja Anggaran: perencanaan pembangunan, rencana kerja dan anggaran kementerian/lembaga dan kinerja anggaran.',
    ['renja', 'RKA-K/L'],
  ],
] as const;

interface Template {
  key: string;
  functionCodes: string[];
  regionsOnly?: boolean;
  /** Names and descriptions; agencies take turns, so wording differs from agency to agency. */
  variants: [name: string, description: string][];
  dataHeld: string[];
  /** Service code exposed on the integration layer, when the application has one. */
  service?: string;
}

const TEMPLATES: Template[] = [
  {
    key: 'EOFFICE',
    functionCodes: ['PERSURATAN'],
    dataHeld: ['surat masuk', 'surat keluar', 'disposisi'],
    service: 'letters',
    variants: [
      ['e-Office {place}', 'Persuratan elektronik: surat masuk, surat keluar, disposisi pimpinan dan tanda tangan elektronik naskah dinas.'],
      ['SIMPERSURATAN {place}', 'Pengelolaan surat menyurat dinas, agenda surat masuk, nota dinas, disposisi berjenjang dan pengarsipan digital.'],
      ['TNDE {place}', 'Tata naskah dinas elektronik untuk membuat, memaraf dan menandatangani surat dinas serta mendisposisikan surat masuk.'],
    ],
  },
  {
    key: 'SIMPEG',
    functionCodes: ['KEPEGAWAIAN'],
    dataHeld: ['data pegawai'],
    service: 'employee-lookup',
    variants: [
      ['SIMPEG {place}', 'Sistem informasi manajemen kepegawaian: data pegawai, riwayat pangkat, jabatan, mutasi dan usulan kenaikan pangkat PNS.'],
      ['e-Pegawai {place}', 'Profil dan riwayat pegawai negeri sipil: kepangkatan, golongan, mutasi jabatan, cuti dan pensiun.'],
      ['SIMASN {place}', 'Database kepegawaian ASN dengan riwayat jabatan, golongan, diklat dan pensiun pegawai.'],
    ],
  },
  {
    key: 'LAPOR',
    functionCodes: ['PENGADUAN'],
    dataHeld: ['aduan masyarakat'],
    variants: [
      ['{place} Lapor', 'Kanal aduan dan aspirasi masyarakat yang diteruskan ke perangkat daerah terkait beserta status tindak lanjutnya.'],
      ['Pengaduan Warga {place}', 'Pengaduan warga melalui SMS, media sosial dan aplikasi; aduan diteruskan ke perangkat daerah untuk ditindaklanjuti.'],
      ['Aspirasi {place}', 'Masyarakat menyampaikan pengaduan dan aspirasi, petugas menindaklanjuti aduan dan melaporkan penyelesaiannya.'],
    ],
  },
  {
    key: 'KINERJA',
    functionCodes: ['KINERJA'],
    dataHeld: ['SKP', 'aktivitas harian'],
    variants: [
      ['e-Kinerja {place}', 'Penyusunan sasaran kinerja pegawai, laporan aktivitas harian dan penilaian capaian kinerja untuk tunjangan.'],
      ['SKP Online {place}', 'Penilaian sasaran kinerja pegawai (SKP) dan perilaku kerja ASN beserta evaluasi capaian kinerja bulanan.'],
      ['Kinerja ASN {place}', 'Aktivitas harian dan capaian sasaran kinerja pegawai sebagai dasar penilaian kinerja dan tambahan penghasilan.'],
    ],
  },
  {
    key: 'PLANNING',
    functionCodes: ['PERENCANAAN', 'PENGANGGARAN'],
    dataHeld: ['rencana kerja', 'usulan musrenbang'],
    variants: [
      ['e-Planning {place}', 'Perencanaan pembangunan: usulan musrenbang, rencana kerja perangkat daerah, RKPD dan sinkronisasi dengan anggaran.'],
      ['SIMRENDA {place}', 'Penyusunan rencana pembangunan daerah, renja, RKPD dan usulan program kegiatan beserta pagu anggaran.'],
      ['e-Musrenbang {place}', 'Usulan musrenbang desa dan kecamatan, verifikasi usulan dan penyusunan rencana kerja pembangunan.'],
    ],
  },
  {
    key: 'BUDGET',
    functionCodes: ['PENGANGGARAN', 'KEUANGAN'],
    regionsOnly: true,
    dataHeld: ['APBD', 'SP2D'],
    variants: [
      ['e-Budgeting {place}', 'Penyusunan anggaran APBD, rencana kerja anggaran perangkat daerah, DPA dan penatausahaan keuangan daerah.'],
      ['SIMDA Keuangan {place}', 'Penatausahaan keuangan daerah: anggaran APBD, DPA, SPP, SPM, SP2D dan akuntansi pemerintah daerah.'],
      ['SIKD {place}', 'Anggaran dan keuangan daerah: RKA, DPA, pencairan SP2D dan laporan realisasi APBD.'],
    ],
  },
  {
    key: 'PROCUREMENT',
    functionCodes: ['PENGADAAN'],
    dataHeld: ['paket pengadaan'],
    variants: [
      ['e-Procurement {place}', 'Pengadaan barang dan jasa: paket tender, pendaftaran penyedia, evaluasi penawaran dan kontrak.'],
      ['SIRUP {place}', 'Rencana umum pengadaan barang dan jasa, paket swakelola dan paket penyedia serta monitoring tender.'],
      ['e-Tender {place}', 'Tender pengadaan barang dan jasa, penawaran penyedia, evaluasi dan pengumuman pemenang tender.'],
    ],
  },
  {
    key: 'ATTENDANCE',
    functionCodes: ['KEPEGAWAIAN'],
    dataHeld: ['presensi'],
    variants: [
      ['Presensi {place}', 'Presensi kehadiran pegawai dengan sidik jari dan swafoto berlokasi, rekap jam masuk dan jam pulang.'],
      ['e-Absensi {place}', 'Absensi pegawai berbasis lokasi dan pengenalan wajah, rekap kehadiran, izin dan keterlambatan pegawai.'],
    ],
  },
  {
    key: 'JDIH',
    functionCodes: ['HUKUM'],
    dataHeld: ['produk hukum'],
    variants: [
      ['JDIH {place}', 'Jaringan dokumentasi dan informasi hukum: peraturan, keputusan, abstrak peraturan dan status berlaku produk hukum.'],
      ['Produk Hukum {place}', 'Dokumentasi produk hukum: peraturan daerah, peraturan kepala daerah, keputusan dan abstrak peraturan.'],
    ],
  },
  {
    key: 'PPID',
    functionCodes: ['INFORMASI_PUBLIK'],
    dataHeld: ['permohonan informasi'],
    variants: [
      ['PPID {place}', 'Permohonan informasi publik, keberatan informasi dan daftar informasi publik pejabat pengelola informasi dan dokumentasi.'],
      ['e-PPID {place}', 'Layanan permohonan informasi publik, daftar informasi publik dan pengajuan keberatan kepada PPID.'],
    ],
  },
  {
    key: 'PBB',
    functionCodes: ['PENDAPATAN'],
    regionsOnly: true,
    dataHeld: ['SPPT', 'objek pajak'],
    variants: [
      ['e-PBB {place}', 'Pajak bumi dan bangunan perdesaan dan perkotaan: penetapan SPPT, pembayaran dan tunggakan PBB.'],
      ['SIM PBB-P2 {place}', 'Pendataan objek pajak bumi dan bangunan, cetak SPPT PBB, pembayaran dan piutang PBB-P2.'],
    ],
  },
  {
    key: 'PAJAK',
    functionCodes: ['PENDAPATAN'],
    regionsOnly: true,
    dataHeld: ['wajib pajak'],
    variants: [
      ['e-Pajak Daerah {place}', 'Pelaporan dan pembayaran pajak hotel, restoran, hiburan dan reklame oleh wajib pajak daerah.'],
      ['SIMPATDA {place}', 'Pajak daerah: pendaftaran wajib pajak, SPTPD pajak hotel dan restoran, penetapan dan pembayaran pajak.'],
    ],
  },
  {
    key: 'PARKIR',
    functionCodes: ['PENDAPATAN'],
    regionsOnly: true,
    dataHeld: ['setoran parkir'],
    variants: [
      ['e-Parkir {place}', 'Pemungutan retribusi parkir tepi jalan umum dengan karcis elektronik dan setoran juru parkir.'],
      ['SI Retribusi Parkir {place}', 'Pencatatan retribusi parkir, karcis parkir non tunai dan rekap setoran juru parkir tepi jalan.'],
    ],
  },
  {
    key: 'SIMPUS',
    functionCodes: ['KESEHATAN'],
    regionsOnly: true,
    dataHeld: ['rekam medis'],
    variants: [
      ['SIMPUS {place}', 'Sistem informasi manajemen puskesmas: pendaftaran pasien, rekam medis elektronik, resep obat dan laporan kunjungan puskesmas.'],
      ['e-Puskesmas {place}', 'Rekam medis pasien puskesmas, pendaftaran kunjungan, pemeriksaan dokter, farmasi dan pelaporan ke dinas kesehatan.'],
    ],
  },
  {
    key: 'PPDB',
    functionCodes: ['PENDIDIKAN'],
    regionsOnly: true,
    dataHeld: ['calon peserta didik'],
    variants: [
      ['PPDB {place}', 'Penerimaan peserta didik baru: pendaftaran calon siswa, seleksi zonasi, jalur prestasi dan pengumuman hasil seleksi sekolah.'],
      ['PPDB Online {place}', 'Seleksi penerimaan peserta didik baru jalur zonasi, afirmasi dan prestasi, pendaftaran calon siswa dan pengumuman.'],
    ],
  },
  {
    key: 'ASET',
    functionCodes: ['ASET'],
    dataHeld: ['kartu inventaris barang'],
    variants: [
      ['SIMBADA {place}', 'Inventarisasi barang milik daerah, kartu inventaris barang, penyusutan dan penghapusan aset.'],
      ['e-Aset {place}', 'Penatausahaan barang milik negara: inventaris aset, mutasi barang, penyusutan dan penghapusan BMN.'],
    ],
  },
  {
    key: 'ADMINDUK',
    functionCodes: ['KEPENDUDUKAN'],
    regionsOnly: true,
    dataHeld: ['data kependudukan'],
    variants: [
      ['Dukcapil Online {place}', 'Layanan administrasi kependudukan: permohonan KTP elektronik, kartu keluarga, akta kelahiran dan pindah datang penduduk.'],
      ['e-Adminduk {place}', 'Permohonan dokumen kependudukan: kartu keluarga, akta kelahiran, akta kematian dan KTP elektronik secara daring.'],
    ],
  },
  {
    key: 'IZIN',
    functionCodes: ['PERIZINAN'],
    regionsOnly: true,
    dataHeld: ['permohonan izin'],
    variants: [
      ['SIMPERIZINAN {place}', 'Permohonan perizinan dan nonperizinan, verifikasi berkas, tracking izin dan penerbitan izin elektronik.'],
      ['e-Perizinan {place}', 'Pengajuan izin usaha dan izin bangunan, pelacakan berkas permohonan dan penerbitan surat izin.'],
    ],
  },
  {
    key: 'SATUDATA',
    functionCodes: ['DATA_STATISTIK'],
    dataHeld: ['dataset'],
    variants: [
      ['Satu Data {place}', 'Portal data sektoral: katalog dataset, metadata, walidata dan visualisasi statistik perangkat daerah.'],
      ['Open Data {place}', 'Publikasi dataset sektoral terbuka, metadata statistik dan dasbor visualisasi data.'],
    ],
  },
  {
    key: 'AUDIT',
    functionCodes: ['PENGAWASAN'],
    dataHeld: ['temuan audit'],
    variants: [
      ['e-Audit {place}', 'Pengawasan internal: program kerja pengawasan tahunan, kertas kerja audit, temuan dan tindak lanjut hasil pemeriksaan.'],
      ['SIMWAS {place}', 'Sistem pengawasan inspektorat: rencana audit, kertas kerja pemeriksaan, temuan dan pemantauan tindak lanjut.'],
    ],
  },
  {
    key: 'GAJI',
    functionCodes: ['KEPEGAWAIAN', 'KEUANGAN'],
    dataHeld: ['daftar gaji'],
    variants: [
      ['SIMGAJI {place}', 'Perhitungan gaji, potongan iuran dan tunjangan pegawai setiap bulan serta cetak daftar gaji.'],
      ['e-Gaji {place}', 'Daftar gaji pegawai, tunjangan kinerja, potongan dan rekap pembayaran gaji bulanan.'],
    ],
  },
  {
    key: 'BANSOS',
    functionCodes: ['SOSIAL'],
    regionsOnly: true,
    dataHeld: ['penerima bantuan'],
    variants: [
      ['SIKS {place}', 'Pendataan keluarga miskin, verifikasi dan validasi data terpadu kesejahteraan sosial dan penyaluran bantuan sosial.'],
      ['e-Bansos {place}', 'Penyaluran bantuan sosial: data penerima, verifikasi keluarga miskin dan laporan penyaluran bantuan.'],
    ],
  },
  {
    key: 'WISATA',
    functionCodes: ['PARIWISATA'],
    regionsOnly: true,
    dataHeld: ['destinasi wisata'],
    variants: [
      ['Visit {place}', 'Informasi destinasi wisata, kalender event, pemesanan tiket wisata dan homestay.'],
      ['e-Wisata {place}', 'Promosi destinasi wisata, agenda festival, penginapan dan paket wisata daerah.'],
    ],
  },
];

/** Applications only one agency has: they must not show up as duplicates. */
const OWN: Record<string, [name: string, functionCodes: string[], description: string][]> = {
  KEMENPANRB: [
    ['Evaluasi SPBE', ['PENGAWASAN', 'DATA_STATISTIK'], 'Penilaian mandiri dan evaluasi indeks SPBE instansi pusat dan daerah oleh asesor eksternal.'],
    ['e-Formasi', ['KEPEGAWAIAN', 'PERENCANAAN'], 'Usulan dan penetapan kebutuhan formasi ASN instansi pusat dan daerah beserta analisis jabatan.'],
    ['SIPPN', ['INFORMASI_PUBLIK'], 'Sistem informasi pelayanan publik nasional: standar pelayanan dan maklumat unit penyelenggara.'],
    ['PEKPPP', ['PENGAWASAN'], 'Pemantauan dan evaluasi kinerja penyelenggaraan pelayanan publik dengan kunjungan lapangan.'],
    ['Zona Integritas', ['PENGAWASAN'], 'Pengusulan dan penilaian unit kerja menuju wilayah bebas dari korupsi.'],
  ],
  KOMINFO: [
    ['Pusat Data Nasional Portal', ['DATA_STATISTIK'], 'Permintaan layanan komputasi, penyimpanan dan jaringan pada pusat data nasional.'],
    ['SDPPI Perizinan Frekuensi', ['PERIZINAN'], 'Izin stasiun radio dan izin pita frekuensi radio serta pembayaran BHP frekuensi.'],
    ['Aduan Konten', ['PENGADUAN'], 'Pelaporan konten negatif internet, situs perjudian dan hoaks untuk diverifikasi dan diblokir.'],
    ['Literasi Digital', ['PENDIDIKAN'], 'Kelas literasi digital masyarakat, pendaftaran peserta dan sertifikat pelatihan.'],
    ['PSE Lingkup Privat', ['PERIZINAN'], 'Pendaftaran penyelenggara sistem elektronik lingkup privat.'],
  ],
  SETNEG: [
    ['Sidang Kabinet', ['PERSURATAN'], 'Penjadwalan sidang kabinet, bahan sidang dan risalah rapat terbatas presiden.'],
    ['Tanda Kehormatan', ['KEPEGAWAIAN'], 'Usulan dan verifikasi penganugerahan tanda jasa dan tanda kehormatan RI.'],
    ['Grasi Online', ['HUKUM'], 'Permohonan grasi, pertimbangan Mahkamah Agung dan penyiapan keputusan presiden.'],
    ['Kunjungan Istana', ['INFORMASI_PUBLIK'], 'Pendaftaran kunjungan masyarakat ke istana kepresidenan dan museum istana.'],
  ],
  BKN: [
    ['CAT BKN', ['KEPEGAWAIAN'], 'Ujian seleksi ASN dengan computer assisted test, bank soal dan pengumuman nilai seketika.'],
    ['SSCASN', ['KEPEGAWAIAN'], 'Pendaftaran seleksi calon ASN dan PPPK secara nasional, verifikasi berkas pelamar.'],
    ['Assessment Center', ['KEPEGAWAIAN', 'KINERJA'], 'Penilaian kompetensi manajerial dan sosial kultural ASN untuk pemetaan talenta.'],
    ['Layanan Pensiun', ['KEPEGAWAIAN'], 'Penetapan pensiun dan pertimbangan teknis pensiun PNS.'],
  ],
  'PROV-JATENG': [
    ['Jateng Gayeng', ['PARIWISATA'], 'Promosi budaya dan wisata Jawa Tengah serta agenda kesenian.'],
    ['Samsat Online Jateng', ['PENDAPATAN'], 'Pembayaran pajak kendaraan bermotor tahunan dan pengesahan STNK secara daring.'],
    ['Kartu Tani', ['SOSIAL'], 'Alokasi pupuk bersubsidi bagi petani dengan kartu tani dan data luas lahan.'],
    ['SIMONEV Jateng', ['PERENCANAAN'], 'Monitoring dan evaluasi capaian program prioritas gubernur.'],
    ['BOS Provinsi', ['PENDIDIKAN'], 'Penyaluran dan pelaporan bantuan operasional sekolah SMA SMK provinsi.'],
  ],
  'KAB-BANYUWANGI': [
    ['Smart Kampung', ['KEPENDUDUKAN', 'SOSIAL'], 'Layanan surat keterangan desa, pendataan warga miskin dan bantuan sosial di kantor desa.'],
    ['Festival Banyuwangi', ['PARIWISATA'], 'Kalender lebih dari seratus festival budaya dan olahraga Banyuwangi.'],
    ['Lahir Procot Pulang Bawa Akta', ['KEPENDUDUKAN', 'KESEHATAN'], 'Akta kelahiran diterbitkan di fasilitas kesehatan saat bayi lahir.'],
    ['Jagong Sehat', ['KESEHATAN'], 'Kunjungan tenaga kesehatan ke rumah warga lanjut usia dan ibu hamil berisiko.'],
    ['Banyuwangi Mall Pelayanan Publik', ['PERIZINAN'], 'Antrean dan janji layanan mal pelayanan publik lintas instansi.'],
  ],
  'KAB-BOJONEGORO': [
    ['Dana Desa Bojonegoro', ['KEUANGAN', 'PERENCANAAN'], 'Perencanaan, penyaluran dan pertanggungjawaban dana desa dan alokasi dana desa.'],
    ['Migas Bojonegoro', ['DATA_STATISTIK', 'PENDAPATAN'], 'Data lifting minyak dan gas serta dana bagi hasil migas daerah.'],
    ['Dialog Jumat', ['PENGADUAN'], 'Jadwal, notulen dan tindak lanjut dialog publik mingguan bupati dengan warga di pendopo.'],
    ['Sekar Bojonegoro', ['SOSIAL'], 'Pendampingan petani sayur dan kelompok wanita tani.'],
  ],
  'KOTA-SURABAYA': [
    ['e-Sapa Warga', ['KEPENDUDUKAN', 'SOSIAL'], 'Pendataan keluarga oleh kader surabaya hebat dan intervensi gizi balita.'],
    ['Surabaya Single Window', ['PERIZINAN'], 'Satu pintu perizinan kota: izin mendirikan bangunan, izin usaha, izin reklame dan jadwal survei lapangan.'],
    ['Command Center 112', ['SOSIAL'], 'Panggilan darurat 112, pengerahan pemadam kebakaran, ambulans dan linmas.'],
    ['e-Sport Center', ['PENDIDIKAN'], 'Pemesanan gedung olahraga dan lapangan milik pemerintah kota.'],
    ['Kampung Pendidikan', ['PENDIDIKAN'], 'Pendampingan belajar anak di balai RW oleh relawan.'],
  ],
  'KOTA-YOGYAKARTA': [
    ['Jogja Smart Service', ['INFORMASI_PUBLIK', 'PERIZINAN'], 'Layanan warga dalam satu aplikasi: izin, informasi kota dan kartu identitas anak.'],
    ['Malioboro Tertib', ['PARIWISATA'], 'Pendataan pedagang kaki lima dan jadwal penataan kawasan Malioboro.'],
    ['Gandeng Gendong', ['SOSIAL'], 'Pemberdayaan keluarga miskin melalui kerja sama kampung, perguruan tinggi dan dunia usaha.'],
    ['Cagar Budaya Jogja', ['PARIWISATA'], 'Registrasi bangunan cagar budaya dan izin pemugaran di kawasan heritage.'],
  ],
};

const REGIONS = new Set(['PROVINCE', 'REGENCY', 'CITY']);
const SHORT: Record<string, string> = {
  KEMENPANRB: 'PANRB',
  KOMINFO: 'Kominfo',
  SETNEG: 'Setneg',
  BKN: 'BKN',
  'PROV-JATENG': 'Jateng',
  'KAB-BANYUWANGI': 'Banyuwangi',
  'KAB-BOJONEGORO': 'Bojonegoro',
  'KOTA-SURABAYA': 'Surabaya',
  'KOTA-YOGYAKARTA': 'Jogja',
};

/** A number from a string, always the same (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function cost(name: string, low: number, high: number): bigint {
  // Millions of rupiah, in steps of 5 million.
  const millions = low + (hash(name) % Math.floor((high - low) / 5)) * 5;
  return BigInt(millions) * 1_000_000n;
}

/** Applications per agency: templates (regions get them all, central agencies the shared ones) in two units, plus their own. */
export function demoApplications(): DemoApplication[] {
  const apps: DemoApplication[] = [];
  for (const [owner, name, functionCodes, description, dataHeld] of DEMO_COMMON_APPLICATIONS) {
    apps.push({
      ownerAgencyCode: owner,
      name,
      description,
      functionCodes: [...functionCodes],
      kind: 'UMUM',
      status: 'IN_PRODUCTION',
      annualCostRupiah: cost(name, 8_000, 40_000),
      hosting: 'NATIONAL_DATA_CENTRE',
      userCount: 50_000 + (hash(name) % 400_000),
      dataHeld: [...dataHeld],
      subsystem: `ID/PUSAT/${owner}/${name.replace(/[^A-Za-z0-9-]/g, '')}`,
      services: [],
      template: null,
    });
  }
  const agencies = DEMO_AGENCIES.filter((a) => SHORT[a.code]);
  agencies.forEach((agency, a) => {
    const region = REGIONS.has(agency.kind);
    const place = SHORT[agency.code] as string;
    const memberClass = region ? 'PEMDA' : 'PUSAT';
    for (const [t, template] of TEMPLATES.entries()) {
      if (template.regionsOnly && !region) continue;
      // Regions often run a second copy in another unit (a dinas building its own); central agencies rarely.
      // The office-automation kinds are copied most: kecamatan offices build their own too.
      const copies = region && ['EOFFICE', 'LAPOR', 'SIMPUS'].includes(template.key) ? 3 : (a + t) % (region ? 2 : 3) === 0 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const [namePattern, description] = template.variants[(a + c) % template.variants.length]!;
        const name = namePattern.replace('{place}', place) + ['', ' (Dinas)', ' (Kecamatan)'][c];
        const code = `${template.key}${c > 0 ? `-${c + 1}` : ''}`;
        const subsystem = template.service && c === 0 ? `ID/${memberClass}/${agency.code}/${code}` : null;
        apps.push({
          ownerAgencyCode: agency.code,
          name,
          description,
          functionCodes: template.functionCodes,
          kind: 'KHUSUS',
          status: (hash(name) % 9 === 0 ? 'IN_DEVELOPMENT' : 'IN_PRODUCTION') as ApplicationStatus,
          annualCostRupiah: cost(name, 150, 2_500),
          hosting: hash(name) % 4 === 0 ? 'NATIONAL_DATA_CENTRE' : 'AGENCY_OWN',
          userCount: 20 + (hash(`${name}#users`) % 5_000),
          dataHeld: template.dataHeld,
          subsystem,
          services:
            subsystem && template.service ? [{ identifier: `${subsystem}/${template.service}/v1`, description: `${template.service} for other systems` }] : [],
          template: c === 0 ? template.key : null,
        });
      }
    }
    for (const [name, functionCodes, description] of OWN[agency.code] ?? []) {
      apps.push({
        ownerAgencyCode: agency.code,
        name,
        description,
        functionCodes,
        kind: 'KHUSUS',
        status: hash(name) % 7 === 0 ? 'PLANNED' : 'IN_PRODUCTION',
        annualCostRupiah: cost(name, 100, 3_000),
        hosting: hash(name) % 3 === 0 ? 'NATIONAL_DATA_CENTRE' : 'AGENCY_OWN',
        userCount: 50 + (hash(`${name}#users`) % 20_000),
        dataHeld: [],
        subsystem: null,
        services: [],
        template: null,
      });
    }
  });
  return apps;
}

/** Adoption records: Banyuwangi, the role model, is furthest; others are migrating or have not started. */
/** `retires` names templates: the agency's first copy of that kind of system. */
export const DEMO_ADOPTIONS: { agencyCode: string; common: string; state: 'MIGRATING' | 'ADOPTED'; retires: string[] }[] = [
  { agencyCode: 'KAB-BANYUWANGI', common: 'SRIKANDI', state: 'ADOPTED', retires: ['EOFFICE'] },
  { agencyCode: 'KAB-BANYUWANGI', common: 'SP4N-LAPOR!', state: 'ADOPTED', retires: ['LAPOR'] },
  { agencyCode: 'KAB-BANYUWANGI', common: 'SIASN', state: 'MIGRATING', retires: [] },
  { agencyCode: 'KOTA-SURABAYA', common: 'SRIKANDI', state: 'MIGRATING', retires: [] },
  { agencyCode: 'KOTA-YOGYAKARTA', common: 'SP4N-LAPOR!', state: 'ADOPTED', retires: [] },
  { agencyCode: 'PROV-JATENG', common: 'SIPD', state: 'MIGRATING', retires: [] },
  { agencyCode: 'KEMENPANRB', common: 'SRIKANDI', state: 'ADOPTED', retires: [] },
  { agencyCode: 'SETNEG', common: 'SIASN', state: 'ADOPTED', retires: [] },
];

/** A few access rights between demo systems (who may call whose service). */
export const DEMO_ACCESS_RIGHTS: { service: string; client: string }[] = [
  { service: 'ID/PEMDA/KAB-BANYUWANGI/SIMPEG/employee-lookup/v1', client: 'ID/PEMDA/KAB-BANYUWANGI/EOFFICE' },
  { service: 'ID/PEMDA/KAB-BANYUWANGI/SIMPEG/employee-lookup/v1', client: 'ID/PUSAT/BKN/SIASN' },
  { service: 'ID/PEMDA/KOTA-SURABAYA/SIMPEG/employee-lookup/v1', client: 'ID/PUSAT/BKN/SIASN' },
  { service: 'ID/PUSAT/BKN/SIMPEG/employee-lookup/v1', client: 'ID/PEMDA/KOTA-SURABAYA/EOFFICE' },
];
