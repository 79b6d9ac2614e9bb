/**
 * The reference taxonomy of government business functions (after the SPBE reference
 * architecture's business-process domain), shipped with the service. Each function names
 * the aplikasi umum that covers it nationally, where KemenPANRB has designated one.
 */
export interface BusinessFunction {
  code: string;
  name: string;
  /** English gloss, for readers outside Indonesia. */
  description: string;
  /** The aplikasi umum for this function, or null when every agency still needs its own. */
  commonApplication: string | null;
}

export const BUSINESS_FUNCTIONS: readonly BusinessFunction[] = [
  { code: 'KEPEGAWAIAN', name: 'Manajemen kepegawaian', description: 'Civil-servant records and personnel management', commonApplication: 'SIASN' },
  { code: 'PERSURATAN', name: 'Persuratan dan kearsipan', description: 'Official correspondence (naskah dinas) and archives', commonApplication: 'SRIKANDI' },
  { code: 'KINERJA', name: 'Manajemen kinerja', description: 'Performance targets and appraisal of civil servants', commonApplication: 'e-Kinerja' },
  { code: 'PERENCANAAN', name: 'Perencanaan pembangunan', description: 'Development planning', commonApplication: 'KRISNA' },
  { code: 'PENGANGGARAN', name: 'Penganggaran', description: 'Budget preparation', commonApplication: 'SIPD' },
  { code: 'KEUANGAN', name: 'Penatausahaan keuangan', description: 'Financial administration and accounting', commonApplication: 'SIPD' },
  { code: 'PENGADAAN', name: 'Pengadaan barang dan jasa', description: 'Public procurement', commonApplication: 'SPSE' },
  { code: 'PENGADUAN', name: 'Pengaduan publik', description: 'Public complaints and aspirations', commonApplication: 'SP4N-LAPOR!' },
  { code: 'PERIZINAN', name: 'Perizinan', description: 'Licences and permits', commonApplication: null },
  { code: 'KEPENDUDUKAN', name: 'Administrasi kependudukan', description: 'Population records and civil registration', commonApplication: null },
  { code: 'KESEHATAN', name: 'Layanan kesehatan', description: 'Health services', commonApplication: null },
  { code: 'PENDIDIKAN', name: 'Pendidikan', description: 'Education services', commonApplication: null },
  { code: 'PENDAPATAN', name: 'Pendapatan dan pajak daerah', description: 'Regional taxes, levies and revenue', commonApplication: null },
  { code: 'ASET', name: 'Barang milik negara/daerah', description: 'State and regional assets', commonApplication: null },
  { code: 'PENGAWASAN', name: 'Pengawasan internal', description: 'Internal audit and supervision', commonApplication: null },
  { code: 'HUKUM', name: 'Produk hukum', description: 'Regulations and legal documentation (JDIH)', commonApplication: null },
  { code: 'INFORMASI_PUBLIK', name: 'Layanan informasi publik', description: 'Public information and communication', commonApplication: null },
  { code: 'SOSIAL', name: 'Perlindungan sosial', description: 'Social assistance', commonApplication: null },
  { code: 'PARIWISATA', name: 'Pariwisata dan ekonomi kreatif', description: 'Tourism and the creative economy', commonApplication: null },
  { code: 'DATA_STATISTIK', name: 'Data dan statistik', description: 'Data and statistics (Satu Data Indonesia)', commonApplication: null },
];

const BY_CODE = new Map(BUSINESS_FUNCTIONS.map((f) => [f.code, f]));

export function businessFunction(code: string): BusinessFunction | undefined {
  return BY_CODE.get(code);
}

export function isFunctionCode(code: string): boolean {
  return BY_CODE.has(code);
}

/** The taxonomy's aplikasi umum for a function, if any. */
export function commonApplicationName(code: string): string | undefined {
  return BY_CODE.get(code)?.commonApplication ?? undefined;
}
