/**
 * Kinds of official document (jenis naskah dinas): directives, correspondence, special
 * documents and others, as DOMAIN.md lists them.
 */
export const DOCUMENT_TYPES = [
  'PERATURAN',
  'INSTRUKSI',
  'SOP',
  'SURAT_EDARAN',
  'KEPUTUSAN',
  'SURAT_TUGAS',
  'SURAT_PERINTAH',
  'NOTA_DINAS',
  'MEMORANDUM',
  'SURAT_DINAS',
  'UNDANGAN',
  'PERJANJIAN',
  'SURAT_KUASA',
  'BERITA_ACARA',
  'SERTIFIKAT',
  'PENGUMUMAN',
  'NOTULA',
  'LAPORAN',
  'TELAAHAN_STAF',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const URGENCIES = ['BIASA', 'SEGERA', 'SANGAT_SEGERA'] as const;
