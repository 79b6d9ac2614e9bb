import type { DemoEmployee } from '@simpul/contracts/demo';
import type { SecurityClass } from '@simpul/contracts';
import type { DocumentType } from '../documents/document-types.ts';
import type { WorkflowStatus } from '../workflow/workflow.ts';

/** Subjects of demo letters, by type, with a fitting classification code. */
export const DEMO_SUBJECTS: { type: DocumentType; subject: string; classificationCode: string }[] = [
  { type: 'UNDANGAN', subject: 'Undangan rapat koordinasi percepatan SPBE', classificationCode: '000.1.2' },
  { type: 'UNDANGAN', subject: 'Undangan sosialisasi tata naskah dinas elektronik', classificationCode: '000.1.2' },
  { type: 'NOTA_DINAS', subject: 'Permohonan data pegawai untuk analisis jabatan', classificationCode: '800.1.2' },
  { type: 'NOTA_DINAS', subject: 'Laporan kemajuan integrasi layanan kepegawaian', classificationCode: '500.12.1' },
  { type: 'SURAT_DINAS', subject: 'Penyampaian rencana kebutuhan pegawai tahun anggaran berikutnya', classificationCode: '800.1.2' },
  { type: 'SURAT_DINAS', subject: 'Permintaan narasumber bimbingan teknis arsip dinamis', classificationCode: '000.5.1' },
  { type: 'SURAT_EDARAN', subject: 'Surat edaran penggunaan tanda tangan elektronik', classificationCode: '000.2.3' },
  { type: 'SURAT_TUGAS', subject: 'Surat tugas pendampingan evaluasi SPBE', classificationCode: '700.1.1' },
  { type: 'KEPUTUSAN', subject: 'Keputusan pembentukan tim pengelola arsip elektronik', classificationCode: 'OT.01.1' },
  { type: 'LAPORAN', subject: 'Laporan hasil pemeriksaan kepatuhan pengelolaan keuangan', classificationCode: '700.1.3' },
  { type: 'LAPORAN', subject: 'Laporan penyelenggaraan pemerintahan semester pertama', classificationCode: '100.3.2' },
  { type: 'BERITA_ACARA', subject: 'Berita acara serah terima aplikasi layanan', classificationCode: 'TI.02.1' },
  { type: 'PERJANJIAN', subject: 'Perjanjian kerja sama pertukaran data kependudukan', classificationCode: '000.8.3.3' },
  { type: 'MEMORANDUM', subject: 'Memorandum penanganan insiden keamanan informasi', classificationCode: '500.12.3' },
  { type: 'TELAAHAN_STAF', subject: 'Telaahan staf usulan mutasi pejabat pengawas', classificationCode: '800.1.11' },
  { type: 'PENGUMUMAN', subject: 'Pengumuman seleksi terbuka jabatan pimpinan tinggi pratama', classificationCode: '800.1.2' },
  { type: 'NOTULA', subject: 'Notula rapat evaluasi anggaran triwulan', classificationCode: '900.1.1' },
  { type: 'SURAT_DINAS', subject: 'Penyampaian usulan pemberhentian dengan hormat karena pensiun', classificationCode: 'KP.07.6' },
];

/**
 * The states demo letters are left in, in turn: each state once in the first seven,
 * then more of the common ones (most letters are sent or archived).
 */
export const DEMO_STATUS_CYCLE: WorkflowStatus[] = [
  'DRAFT',
  'IN_REVIEW',
  'RETURNED',
  'READY_TO_SIGN',
  'SIGNED',
  'SENT',
  'ARCHIVED',
  'SENT',
  'ARCHIVED',
  'IN_REVIEW',
  'SENT',
  'ARCHIVED',
  'DRAFT',
  'SENT',
  'ARCHIVED',
  'READY_TO_SIGN',
  'SENT',
  'ARCHIVED',
  'SIGNED',
  'ARCHIVED',
];

export const DEMO_SECURITY_WEIGHTS: [SecurityClass, number][] = [
  ['BIASA', 14],
  ['TERBATAS', 4],
  ['RAHASIA', 2],
  ['SANGAT_RAHASIA', 1],
];

export function weighted<T>(random: () => number, items: readonly [T, number][]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

const HEAD_POSITIONS = new Set(['JPT_UTAMA', 'JPT_MADYA', 'JPT_PRATAMA', 'ADMINISTRATOR', 'PENGAWAS']);

/** Heads (who sign and disposition) and staff (who write and review) of an agency. */
export function agencyPeople(employees: readonly DemoEmployee[], agencyCode: string): { heads: DemoEmployee[]; staff: DemoEmployee[] } {
  const mine = employees.filter((e) => e.agencyCode === agencyCode);
  const heads = mine.filter((e) => HEAD_POSITIONS.has(e.positionType));
  const staff = mine.filter((e) => !HEAD_POSITIONS.has(e.positionType));
  // Every agency needs someone to sign: the most senior by rank when no one holds a structural position.
  if (heads.length === 0 && staff.length > 0) heads.push(...[...staff].sort((a, b) => (a.rank < b.rank ? 1 : -1)).slice(0, 2));
  return { heads, staff: staff.length > 0 ? staff : heads };
}
