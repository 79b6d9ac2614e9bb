import { GOLONGAN, PPPK_GRADES, type AsnStatus, type Golongan, type PppkGrade } from '@simpul/contracts';

/** A rank: a PNS golongan/ruang with its title (pangkat), or a PPPK grade. */
export interface Rank {
  code: Golongan | PppkGrade;
  /** The pangkat, e.g. `Penata Muda` for III/a; PPPK grades have none. */
  title: string | null;
  /** 1-17 within its ladder. */
  step: number;
  scheme: 'PNS' | 'PPPK';
}

/** The pangkat of each golongan/ruang, lowest first (I/a Juru Muda ... IV/e Pembina Utama). */
const TITLES: Record<Golongan, string> = {
  'I/a': 'Juru Muda',
  'I/b': 'Juru Muda Tingkat I',
  'I/c': 'Juru',
  'I/d': 'Juru Tingkat I',
  'II/a': 'Pengatur Muda',
  'II/b': 'Pengatur Muda Tingkat I',
  'II/c': 'Pengatur',
  'II/d': 'Pengatur Tingkat I',
  'III/a': 'Penata Muda',
  'III/b': 'Penata Muda Tingkat I',
  'III/c': 'Penata',
  'III/d': 'Penata Tingkat I',
  'IV/a': 'Pembina',
  'IV/b': 'Pembina Tingkat I',
  'IV/c': 'Pembina Utama Muda',
  'IV/d': 'Pembina Utama Madya',
  'IV/e': 'Pembina Utama',
};

export const PNS_RANKS: readonly Rank[] = GOLONGAN.map((code, i) => ({ code, title: TITLES[code], step: i + 1, scheme: 'PNS' }));
export const PPPK_RANKS: readonly Rank[] = PPPK_GRADES.map((code, i) => ({ code, title: null, step: i + 1, scheme: 'PPPK' }));

/** The highest PNS rank: nobody is promoted past it. */
export const TOP_RANK: Golongan = 'IV/e';

export function findRank(code: string): Rank | undefined {
  return PNS_RANKS.find((r) => r.code === code) ?? PPPK_RANKS.find((r) => r.code === code);
}

/** The ladder an ASN status uses: golongan for CPNS and PNS, grades for PPPK. */
export function rankSchemeOf(status: AsnStatus): Rank['scheme'] {
  return status === 'PPPK' ? 'PPPK' : 'PNS';
}

/** The next rank up the same ladder, or undefined at the top. */
export function nextRank(code: string): Rank | undefined {
  const rank = findRank(code);
  if (!rank) return undefined;
  const ladder = rank.scheme === 'PNS' ? PNS_RANKS : PPPK_RANKS;
  return ladder[rank.step];
}

/** `III/a (Penata Muda)` or `IX`. */
export function describeRank(code: string): string {
  const rank = findRank(code);
  return rank?.title ? `${rank.code} (${rank.title})` : code;
}
