import { describe, expect, it } from 'vitest';
import { normalise, stem, tokenize } from '../src/duplicates/text.ts';

describe(stem.name, () => {
  it.each([
    ['pengaduan', 'adu'],
    ['aduan', 'adu'],
    ['mengadukan', 'adu'],
    ['laporan', 'lapor'],
    ['pelaporan', 'lapor'],
    ['melaporkan', 'lapor'],
    ['persuratan', 'surat'],
    ['surat', 'surat'],
    ['kepegawaian', 'pegawai'],
    ['pegawai', 'pegawai'],
    ['perencanaan', 'rencana'],
    ['rencana', 'rencana'],
    ['perizinan', 'izin'],
    ['penganggaran', 'anggar'],
    ['anggaran', 'anggar'],
    ['pemantauan', 'pantau'],
    ['penerimaan', 'terima'],
    ['keuangan', 'uang'],
    ['naskah', 'naskah'],
    ['kinerja', 'kinerja'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe(tokenize.name, () => {
  it('lower-cases, strips accents and punctuation, drops stop words, boilerplate and numbers', () => {
    expect(normalise('Sistem Informasi — Pengaduan, "Café" 2024!')).toBe('sistem informasi pengaduan cafe 2024');
    expect(tokenize('Aplikasi sistem informasi pengaduan masyarakat yang berbasis web untuk Kabupaten 2024').map((t) => t.stem)).toEqual(['adu', 'masyarakat']);
  });

  it('keeps the written word beside its stem, and keeps "pengadaan" although its stem is a stop word', () => {
    expect(tokenize('Pengadaan barang')).toEqual([
      { stem: 'ada', surface: 'pengadaan' },
      { stem: 'barang', surface: 'barang' },
    ]);
  });
});
