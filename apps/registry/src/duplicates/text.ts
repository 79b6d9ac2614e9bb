import { GLOSSARY, PHRASES } from './glossary.ts';
import { ROOTS } from './roots.ts';

/**
 * Indonesian text normalisation for comparing application descriptions: lower case,
 * no diacritics or punctuation, abbreviations, English words and synonyms rewritten onto
 * one Indonesian wording (glossary.ts), stop words dropped, words reduced to their root by
 * a dictionary stemmer (roots.ts) with a light affix stripper as fallback, so
 * "pengaduan", "aduan" and "mengadukan" all meet as "adu".
 */

/** Function words, plus words nearly every catalogue entry uses and that tell nothing apart. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  // function words
  'ada',
  'adalah',
  'agar',
  'akan',
  'antar',
  'antara',
  'atas',
  'atau',
  'bagai',
  'bagaimana',
  'bagi',
  'bahwa',
  'baik',
  'banyak',
  'baru',
  'bawah',
  'beberapa',
  'belum',
  'berbagai',
  'berdasarkan',
  'bersama',
  'bisa',
  'bukan',
  'cara',
  'dalam',
  'dan',
  'dapat',
  'dari',
  'demi',
  'dengan',
  'di',
  'dia',
  'guna',
  'hal',
  'hanya',
  'harus',
  'hingga',
  'ia',
  'ini',
  'itu',
  'jadi',
  'jika',
  'juga',
  'kami',
  'karena',
  'ke',
  'kepada',
  'kita',
  'lagi',
  'lain',
  'lainnya',
  'lebih',
  'maka',
  'masih',
  'melalui',
  'menjadi',
  'mereka',
  'milik',
  'mulai',
  'namun',
  'oleh',
  'pada',
  'para',
  'per',
  'perlu',
  'pula',
  'saat',
  'sama',
  'sampai',
  'sangat',
  'saja',
  'satu',
  'se',
  'sebagai',
  'secara',
  'sedang',
  'sehingga',
  'sejak',
  'semua',
  'sendiri',
  'seluruh',
  'serta',
  'sesuai',
  'setiap',
  'sudah',
  'supaya',
  'tanpa',
  'telah',
  'tentang',
  'terhadap',
  'tersebut',
  'tetapi',
  'tiap',
  'tidak',
  'untuk',
  'yaitu',
  'yakni',
  'yang',
  'mana',
  'kini',
  'tanpa',
  'pun',
  'dll',
  'dsb',
  'the',
  'and',
  'for',
  'of',
  // catalogue boilerplate: every entry is an "aplikasi sistem informasi berbasis web" of some government body
  'aplikasi',
  'sistem',
  'informasi',
  'elektronik',
  'online',
  'daring',
  'berbasis',
  'web',
  'website',
  'android',
  'mobile',
  'digital',
  'terintegrasi',
  'terpadu',
  'pemerintah',
  'pemerintahan',
  'daerah',
  'kabupaten',
  'kota',
  'provinsi',
  'kementerian',
  'badan',
  'dinas',
  'instansi',
  'lingkungan',
  'seluruh',
  'nasional',
  'platform',
  'portal',
  'modul',
  'fitur',
  'fasilitas',
  'pengelolaan',
  'pengelola',
  'kelola',
  'mengelola',
  'manajemen',
  'mendukung',
  'digunakan',
  'menggunakan',
  'memudahkan',
  'membantu',
  'meningkatkan',
  'versi',
]);

const MIN_STEM = 3;

// Nouns whose first letters look like a prefix but are not one; the stripper leaves them whole.
const KEEP = new Set([
  'pegawai',
  'naskah',
  'media',
  'menu',
  'meter',
  'peta',
  'pesan',
  'dewan',
  'perda',
  'perkara',
  'dokter',
  'desa',
  'keluarga',
  'pemilu',
  'kesehatan',
  'tera',
  'teknis',
]);
// Roots beginning with a vowel that take the prefix per- ("perizinan" = per + izin + an).
const PER_VOWEL_ROOTS = ['izin', 'ubah', 'ingat', 'usaha', 'umah'];

/** Lower case, diacritics removed, everything but letters and digits turned into spaces. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The root of an Indonesian word: the word itself when it is a known root, else the first
 * known root reached by taking off suffixes (particle, possessive, derivational) and up
 * to three prefixes with the nasal's recoding (Nazief–Adriani); when no candidate is a
 * known root, the light affix stripper's guess.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (ROOTS.has(word)) return word;
  for (const base of suffixVariants(word)) {
    if (ROOTS.has(base)) return base;
    const root = rootUnderPrefixes(base, 3);
    if (root) return root;
  }
  return lightStem(word);
}

/** The word with ever more suffixes taken off: particle, then possessive, then one derivational suffix. */
function suffixVariants(word: string): string[] {
  const variants = [word];
  const particle = stripSuffix(word, ['lah', 'kah', 'pun', 'tah']);
  const possessive = stripSuffix(particle, ['nya', 'ku', 'mu']);
  for (const v of [particle, possessive]) if (!variants.includes(v)) variants.push(v);
  for (const suffix of ['kan', 'an', 'i']) {
    if (possessive.endsWith(suffix) && possessive.length - suffix.length >= MIN_STEM) variants.push(possessive.slice(0, -suffix.length));
  }
  return variants;
}

/** A known root under up to `depth` prefixes of `word`, trying each recoding of a nasal. */
function rootUnderPrefixes(word: string, depth: number): string | undefined {
  if (depth === 0) return undefined;
  for (const next of prefixCandidates(word)) {
    if (next.length < MIN_STEM) continue;
    if (ROOTS.has(next)) return next;
    const deeper = rootUnderPrefixes(next, depth - 1);
    if (deeper) return deeper;
  }
  return undefined;
}

/** What may remain after one prefix: di-, ke-, se-, ber-/be-, ter-, per-, and me(N)-/pe(N)- with the root's first sound restored. */
function prefixCandidates(w: string): string[] {
  const out: string[] = [];
  for (const simple of ['di', 'ke', 'se']) if (w.startsWith(simple)) out.push(w.slice(2));
  for (const three of ['ber', 'ter', 'per']) if (w.startsWith(three)) out.push(w.slice(3));
  if (w.startsWith('be')) out.push(w.slice(2));
  for (const base of ['me', 'pe']) {
    if (!w.startsWith(base)) continue;
    const after = w.slice(2);
    if (after.startsWith('ng')) {
      const rest = after.slice(2);
      out.push(rest, `k${rest}`);
    } else if (after.startsWith('ny')) {
      out.push(`s${after.slice(2)}`);
    } else if (after.startsWith('m')) {
      const rest = after.slice(1);
      out.push(rest, `p${rest}`, `m${rest}`);
    } else if (after.startsWith('n')) {
      const rest = after.slice(1);
      out.push(rest, `t${rest}`, `n${rest}`);
    } else {
      out.push(after);
    }
  }
  return out;
}

/**
 * A light Indonesian stemmer: particles (-lah, -kah, -pun), possessives (-nya, -ku, -mu),
 * one derivational suffix (-kan, -an, -i) and up to two prefixes (di-, ke-, se-, ber-, ter-,
 * me(N)-, pe(N)-, per-), never leaving fewer than three letters. It over-stems now and
 * then; both sides of a comparison are stemmed alike, so that costs little.
 */
export function lightStem(word: string): string {
  if (word.length <= 4 || KEEP.has(word) || /\d/.test(word)) return word;
  let w = word;
  w = stripSuffix(w, ['lah', 'kah', 'pun']);
  w = stripSuffix(w, ['nya', 'ku', 'mu']);
  if (KEEP.has(w)) return w;
  const derivational = stripSuffix(w, ['kan', 'an']);
  w = derivational !== w ? derivational : w.endsWith('i') && !w.endsWith('ai') && w.length > 5 ? w.slice(0, -1) : w;
  for (let round = 0; round < 2 && !KEEP.has(w); round++) {
    const next = stripPrefix(w);
    if (next === w) break;
    w = next;
  }
  return w;
}

function stripSuffix(word: string, suffixes: string[]): string {
  for (const suffix of suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_STEM) return word.slice(0, -suffix.length);
  }
  return word;
}

const VOWEL = /^[aiueo]/;

// Helpers at module level: the stemmer runs once per word of the whole catalogue.
function long(s: string): boolean {
  return s.length >= MIN_STEM;
}

function stripPrefix(w: string): string {
  for (const simple of ['di', 'ke', 'se']) {
    if (w.startsWith(simple) && long(w.slice(2))) return w.slice(2);
  }
  // ber-/ter- leave at least four letters: "terima" is a root, not ter + ima.
  if (w.startsWith('ber') && w.length - 3 >= 4) return w.slice(3);
  if (w.startsWith('ter') && w.length - 3 >= 4) return w.slice(3);
  if (w.startsWith('per')) {
    const after = w.slice(3);
    if (long(after) && (!VOWEL.test(after) || PER_VOWEL_ROOTS.some((r) => after.startsWith(r)))) return after;
  }
  for (const base of ['me', 'pe']) {
    if (!w.startsWith(base)) continue;
    const after = w.slice(2);
    // me(N)-/pe(N)- with the nasal that assimilates the root's first consonant.
    if (after.startsWith('ng') && long(after.slice(2))) return after.slice(2);
    if (after.startsWith('ny') && long(after.slice(2))) return `s${after.slice(2)}`;
    if (after.startsWith('m') && long(after.slice(1))) return VOWEL.test(after.slice(1)) ? `p${after.slice(1)}` : after.slice(1);
    if (after.startsWith('n') && long(after.slice(1))) return VOWEL.test(after.slice(1)) ? `t${after.slice(1)}` : after.slice(1);
    if (long(after) && !VOWEL.test(after)) return after;
  }
  return w;
}

export interface Token {
  stem: string;
  /** The word as written (normalised), to show readers a real word. */
  surface: string;
}

/** The meaningful words of a text: normalised, stop words and short or numeric tokens dropped, stemmed. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let normalised = ` ${normalise(text)} `;
  for (const [phrase, meaning] of PHRASES) if (normalised.includes(` ${phrase} `)) normalised = normalised.replaceAll(` ${phrase} `, ` ${meaning} `);
  for (const written of normalised.trim().split(' ')) {
    for (const word of (GLOSSARY.get(written) ?? written).split(' ')) {
      if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
      // Stop words are matched as written: "pengadaan" stems to "ada", which is a word worth keeping.
      tokens.push({ stem: stem(word), surface: word });
    }
  }
  return tokens;
}
