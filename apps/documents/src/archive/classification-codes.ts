import type { RetentionRule } from './retention.ts';

/**
 * Archive classification codes (kode klasifikasi arsip) with their retention rule
 * (JRA), after the numeric scheme of Permendagri 83/2022 used by regional governments
 * and the lettered scheme of ANRI-style ministerial classifications (`KP.07.6`).
 * Periods are in years; PERMANENT records go to the national archive (ANRI) at the end.
 */
export interface ClassificationCodeDefinition extends RetentionRule {
  code: string;
  name: string;
}

const code = (code: string, name: string, activeYears: number, inactiveYears: number, finalDisposition: 'DESTROY' | 'PERMANENT') => ({
  code,
  name,
  activeYears,
  inactiveYears,
  finalDisposition,
});

export const CLASSIFICATION_CODES: ClassificationCodeDefinition[] = [
  code('000.1.2', 'Undangan kedinasan', 1, 1, 'DESTROY'),
  code('000.1.5', 'Agenda dan acara pimpinan', 1, 1, 'DESTROY'),
  code('000.2.3', 'Pengelolaan surat dinas', 2, 3, 'DESTROY'),
  code('000.4.1', 'Perencanaan kebutuhan perlengkapan', 2, 3, 'DESTROY'),
  code('000.5.1', 'Pembinaan kearsipan', 2, 5, 'PERMANENT'),
  code('000.8.3.3', 'Pelaksanaan kerja sama antarinstansi', 3, 5, 'PERMANENT'),
  code('000.9.2', 'Penelitian dan kajian kebijakan', 2, 5, 'PERMANENT'),
  code('100.1.1', 'Peraturan daerah dan peraturan kepala daerah', 3, 7, 'PERMANENT'),
  code('100.3.2', 'Laporan penyelenggaraan pemerintahan daerah', 2, 8, 'PERMANENT'),
  code('400.5.1', 'Pelayanan kesehatan masyarakat', 2, 3, 'DESTROY'),
  code('400.12.3', 'Administrasi kependudukan', 3, 5, 'DESTROY'),
  code('500.12.1', 'Layanan teknologi informasi dan SPBE', 2, 3, 'DESTROY'),
  code('500.12.3', 'Keamanan informasi dan persandian', 3, 5, 'PERMANENT'),
  code('700.1.1', 'Rencana dan program pengawasan', 2, 3, 'DESTROY'),
  code('700.1.3', 'Laporan hasil pemeriksaan', 5, 5, 'PERMANENT'),
  code('800.1.2', 'Formasi dan pengadaan pegawai', 2, 3, 'DESTROY'),
  code('800.1.11', 'Mutasi pegawai', 2, 3, 'DESTROY'),
  code('800.2.3', 'Pendidikan dan pelatihan pegawai', 2, 3, 'DESTROY'),
  code('900.1.1', 'Rencana anggaran', 2, 8, 'DESTROY'),
  code('900.1.15', 'Pertanggungjawaban keuangan', 2, 8, 'DESTROY'),
  code('KP.01.1', 'Formasi pegawai', 2, 3, 'DESTROY'),
  code('KP.07.6', 'Pemberhentian dan pensiun pegawai', 2, 5, 'PERMANENT'),
  code('OT.01.1', 'Organisasi dan tata laksana', 3, 7, 'PERMANENT'),
  code('HK.02.1', 'Peraturan menteri', 5, 5, 'PERMANENT'),
  code('PW.02.1', 'Pengawasan internal', 2, 3, 'DESTROY'),
  code('TI.02.1', 'Pengembangan aplikasi pemerintahan', 2, 3, 'DESTROY'),
];
