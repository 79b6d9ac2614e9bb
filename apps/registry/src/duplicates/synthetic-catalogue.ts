import { seededRandom } from '@simpul/contracts/demo';
import type { CatalogueEntry } from './find-duplicates.ts';

/**
 * Deterministic synthetic catalogues at any size, for the scaling benchmark and tests.
 * The shape follows the real problem: about 50 applications per agency (27,000 over
 * ~540 agencies); most applications are local builds of a common kind of system
 * (archetype), whose popularity is skewed (nearly every agency runs an e-office, few run
 * a ferry-ticket system); the rest are unique. An archetype's instances share a few core
 * words and functions and add words of their own from a large, skewed vocabulary.
 */
export interface SyntheticOptions {
  seed?: number;
  applicationsPerAgency?: number;
  archetypes?: number;
  /** Share of applications that are one agency's own idea. */
  uniqueShare?: number;
}

const FUNCTIONS = [
  'KEPEGAWAIAN',
  'PERSURATAN',
  'KINERJA',
  'PERENCANAAN',
  'PENGANGGARAN',
  'KEUANGAN',
  'PENGADAAN',
  'PENGADUAN',
  'PERIZINAN',
  'KEPENDUDUKAN',
  'KESEHATAN',
  'PENDIDIKAN',
  'PENDAPATAN',
  'ASET',
  'PENGAWASAN',
  'HUKUM',
  'INFORMASI_PUBLIK',
  'SOSIAL',
  'PARIWISATA',
  'DATA_STATISTIK',
];
const SYLLABLES = ['ba', 'ri', 'lo', 'nu', 'ga', 'ro', 'wi', 'ja', 'lu', 'ha', 'ya', 'ra', 'co', 'fa', 'zu', 'vi'];

/** A pronounceable made-up word for index i (four syllables: 65,536 words). */
function word(i: number): string {
  let s = '';
  for (let k = 0; k < 4; k++) {
    s += SYLLABLES[i % 16];
    i = Math.floor(i / 16);
  }
  return s;
}

/** Index in [0, n) with probability falling as 1/(rank+1) (roughly Zipf). */
function zipf(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));
}

export function syntheticCatalogue(size: number, options: SyntheticOptions = {}): CatalogueEntry[] {
  const rand = seededRandom(options.seed ?? 27_000);
  const perAgency = options.applicationsPerAgency ?? 50;
  const archetypeCount = options.archetypes ?? 600;
  const uniqueShare = options.uniqueShare ?? 0.15;
  const vocabulary = 60_000;
  const archetypes = Array.from({ length: archetypeCount }, (_, a) => {
    const functions = [FUNCTIONS[a % FUNCTIONS.length] as string];
    if (rand() < 0.3) functions.push(FUNCTIONS[Math.floor(rand() * FUNCTIONS.length)] as string);
    // Core words come from the rarer part of the vocabulary, so they say what the system does.
    const core = Array.from({ length: 7 }, () => word(2_000 + Math.floor(rand() * 50_000)));
    return { functions: [...new Set(functions)], core };
  });
  const entries: CatalogueEntry[] = [];
  for (let i = 0; i < size; i++) {
    const agencyCode = `AG-${String(Math.floor(i / perAgency)).padStart(4, '0')}`;
    const unique = rand() < uniqueShare;
    const archetype = archetypes[zipf(rand, archetypeCount)]!;
    const words: string[] = [];
    if (!unique) for (const w of archetype.core) if (rand() < 0.75) words.push(w);
    const own = 6 + Math.floor(rand() * 8);
    for (let k = 0; k < own; k++) words.push(word(zipf(rand, vocabulary)));
    const functions = unique ? [FUNCTIONS[Math.floor(rand() * FUNCTIONS.length)] as string] : archetype.functions;
    entries.push({
      id: `syn-${i}`,
      agencyCode,
      name: `${unique ? 'apl' : archetype.core[0]} ${i}`,
      description: words.join(' '),
      functionCodes: functions,
      kind: 'KHUSUS',
      annualCostRupiah: BigInt(50 + Math.floor(rand() * 950)) * 1_000_000n,
      userCount: 10 + Math.floor(rand() * 2_000),
    });
  }
  return entries;
}
