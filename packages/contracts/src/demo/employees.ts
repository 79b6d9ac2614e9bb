import type { AsnStatus, Golongan, PositionType, PppkGrade } from '../employee.ts';
import { GOLONGAN } from '../employee.ts';
import { DEMO_AGENCIES, flattenUnits } from './agencies.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * Demo civil servants, generated from a fixed seed so that every run (and every
 * service: personnel writes them, documents names them as authors) sees the same
 * people with the same NIPs. Careers are plausible rather than real: appointment at
 * an entry rank that fits the schooling, a promotion every 4-6 years, position
 * changes as the rank allows, and now and then a transfer (mutasi).
 */

export type DemoCareerKind = 'APPOINTMENT' | 'CONFIRMATION' | 'PROMOTION' | 'TRANSFER' | 'POSITION_CHANGE';

/** One step of a demo career: the fields it sets (a transfer sets agency and unit, a promotion the rank, a confirmation the status PNS). */
export interface DemoCareerEvent {
  kind: DemoCareerKind;
  /** `YYYY-MM-DD`. */
  effectiveDate: string;
  decreeNumber: string;
  asnStatus?: AsnStatus;
  agencyCode?: string;
  unitCode?: string | null;
  rank?: Golongan | PppkGrade;
  positionName?: string;
  positionType?: PositionType;
}

export interface DemoEmployee {
  nip: string;
  name: string;
  sex: 'MALE' | 'FEMALE';
  birthDate: string;
  asnStatus: AsnStatus;
  agencyCode: string;
  unitCode: string | null;
  rank: Golongan | PppkGrade;
  /** Start of the current rank (TMT pangkat). */
  rankTmt: string;
  positionName: string;
  positionType: PositionType;
  /** Oldest first; the fields above are what these events add up to. */
  history: DemoCareerEvent[];
}

/** The day the demo careers are written up to; nothing in them happens later. */
export const DEMO_AS_OF = '2026-11-01';

/** How many demo employees each agency gets (607 in all). */
const HEADCOUNT: Record<string, number> = {
  KEMENPANRB: 55,
  KOMINFO: 60,
  SETNEG: 50,
  BKN: 70,
  'PROV-JATENG': 60,
  'PROV-JATIM': 62,
  'PROV-DIY': 45,
  'KAB-BANYUWANGI': 60,
  'KAB-BOJONEGORO': 45,
  'KOTA-SURABAYA': 58,
  'KOTA-YOGYAKARTA': 42,
};

const MALE = [
  'Ahmad',
  'Budi',
  'Agus',
  'Dedi',
  'Eko',
  'Fajar',
  'Hendra',
  'Joko',
  'Rudi',
  'Slamet',
  'Teguh',
  'Wahyu',
  'Yusuf',
  'Bambang',
  'Arif',
  'Dimas',
  'Rizky',
  'Imam',
  'Hadi',
  'Andi',
  'Bayu',
  'Gilang',
  'Irfan',
  'Muhammad',
];
const FEMALE = [
  'Siti',
  'Dewi',
  'Sri',
  'Rina',
  'Wulan',
  'Ayu',
  'Putri',
  'Nur',
  'Lestari',
  'Indah',
  'Fitri',
  'Ratna',
  'Yuni',
  'Endang',
  'Rahmawati',
  'Anisa',
  'Diah',
  'Kartika',
  'Maya',
  'Novi',
  'Tri',
  'Utami',
  'Wati',
  'Retno',
];
const FAMILY = [
  'Santoso',
  'Wibowo',
  'Hidayat',
  'Saputra',
  'Kurniawan',
  'Setiawan',
  'Nugroho',
  'Pratama',
  'Susanto',
  'Hartono',
  'Gunawan',
  'Purnomo',
  'Wijaya',
  'Rahman',
  'Syahputra',
  'Hakim',
  'Prasetyo',
  'Handayani',
  'Permatasari',
  'Anggraini',
  'Puspitasari',
  'Maharani',
  'Kusuma',
  'Suryani',
];

type Schooling = 'SMA' | 'D3' | 'S1' | 'S2';
const ENTRY: Record<Schooling, Golongan> = { SMA: 'II/a', D3: 'II/c', S1: 'III/a', S2: 'III/b' };
/** The highest rank a career that started with this schooling reaches here (further study is not modelled). */
const CEILING: Record<Schooling, Golongan> = { SMA: 'III/b', D3: 'III/d', S1: 'IV/c', S2: 'IV/e' };
/**
 * Staff without a structural or functional position (pelaksana) rise by regular
 * promotion only, whose ceiling is lower: III/d for a degree, IV/a for a master's.
 */
const PELAKSANA_CEILING: Record<Schooling, Golongan> = { SMA: 'III/b', D3: 'III/c', S1: 'III/d', S2: 'IV/a' };
const PPPK_ENTRY: Record<Schooling, PppkGrade> = { SMA: 'V', D3: 'VII', S1: 'IX', S2: 'X' };
const DEGREE: Record<Schooling, string> = { SMA: '', D3: ', A.Md.', S1: ', S.Kom.', S2: ', S.H., M.Si.' };

/** Functional positions (jabatan fungsional) of each track, by the level they reach. */
const SKILL = ['Analis Kepegawaian', 'Pranata Komputer', 'Perencana', 'Analis Kebijakan', 'Auditor', 'Arsiparis'];
const CRAFT = ['Pranata Komputer', 'Arsiparis', 'Pengelola Pengadaan Barang/Jasa', 'Pranata Keuangan APBN'];
const PELAKSANA = ['Pengadministrasi Umum', 'Pengelola Data', 'Pengolah Data Kepegawaian', 'Pengadministrasi Perkantoran', 'Pengelola Keuangan'];
const LEVEL: Partial<Record<PositionType, string>> = {
  AHLI_PERTAMA: 'Ahli Pertama',
  AHLI_MUDA: 'Ahli Muda',
  AHLI_MADYA: 'Ahli Madya',
  AHLI_UTAMA: 'Ahli Utama',
  PEMULA: 'Pemula',
  TERAMPIL: 'Terampil',
  MAHIR: 'Mahir',
  PENYELIA: 'Penyelia',
};

type Track = 'SKILL' | 'CRAFT' | 'STRUCTURAL' | 'PELAKSANA';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const addMonths = (date: Date, months: number) => utc(date.getUTCFullYear(), date.getUTCMonth() + 1 + months, 1);

function rankIndex(rank: Golongan): number {
  return GOLONGAN.indexOf(rank);
}

/** The position a civil servant on `track` holds at `rank` (a rank-appropriate level). */
function positionFor(track: Track, rank: Golongan, field: string, structuralUnit: string): { positionName: string; positionType: PositionType } {
  const i = rankIndex(rank);
  if (track === 'SKILL') {
    const type: PositionType =
      i >= rankIndex('IV/d') ? 'AHLI_UTAMA' : i >= rankIndex('IV/a') ? 'AHLI_MADYA' : i >= rankIndex('III/c') ? 'AHLI_MUDA' : 'AHLI_PERTAMA';
    return { positionName: `${field} ${LEVEL[type]}`, positionType: type };
  }
  if (track === 'CRAFT') {
    const type: PositionType = i >= rankIndex('III/c') ? 'PENYELIA' : i >= rankIndex('III/a') ? 'MAHIR' : i >= rankIndex('II/b') ? 'TERAMPIL' : 'PEMULA';
    return { positionName: `${field} ${LEVEL[type]}`, positionType: type };
  }
  if (track === 'STRUCTURAL') {
    if (i >= rankIndex('IV/d')) return { positionName: `Deputi ${structuralUnit}`, positionType: 'JPT_MADYA' };
    if (i >= rankIndex('IV/b')) return { positionName: `Kepala ${structuralUnit}`, positionType: 'JPT_PRATAMA' };
    if (i >= rankIndex('III/d')) return { positionName: `Kepala Bagian ${structuralUnit}`, positionType: 'ADMINISTRATOR' };
    if (i >= rankIndex('III/b')) return { positionName: `Kepala Subbagian ${structuralUnit}`, positionType: 'PENGAWAS' };
  }
  return { positionName: field, positionType: 'PELAKSANA' };
}

/** Generates the demo employees (deterministic: the same list on every call). */
export function demoEmployees(seed = 20261129): DemoEmployee[] {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const asOf = new Date(`${DEMO_AS_OF}T00:00:00Z`);
  const used = new Set<string>();
  const employees: DemoEmployee[] = [];
  let decrees = 0;
  const decree = (prefix: string, agencyCode: string, date: Date) => `${prefix}.${pad(++decrees, 4)}/${agencyCode}/${date.getUTCFullYear()}`;

  for (const agency of DEMO_AGENCIES) {
    const units = flattenUnits(agency.units);
    for (let n = 0; n < (HEADCOUNT[agency.code] ?? 40); n++) {
      const sex = random() < 0.52 ? 'MALE' : 'FEMALE';
      // Everyone is younger than 58 on DEMO_AS_OF, so no one is past retirement; the
      // oldest reach it within the coming year (retirementsDue has something to show).
      const ageDays = int(23 * 365, 57 * 365 + 300);
      const birth = new Date(asOf.getTime() - ageDays * 86_400_000);
      const schooling = pick<Schooling>(['SMA', 'D3', 'S1', 'S1', 'S1', 'S2']);
      const pppk = random() < 0.12;
      const entryAge = { SMA: 19, D3: 22, S1: 23, S2: 26 }[schooling] + int(0, 9);
      let start = utc(birth.getUTCFullYear() + entryAge, int(1, 12), 1);
      if (start >= asOf) start = addMonths(asOf, -int(2, 14));
      if (start.getTime() < utc(birth.getUTCFullYear() + 18, birth.getUTCMonth() + 1, birth.getUTCDate() + 1).getTime()) {
        start = utc(birth.getUTCFullYear() + 19, 1, 1);
      }
      const given = sex === 'MALE' ? pick(MALE) : pick(FEMALE);
      const name = `${given} ${pick(FAMILY)}${DEGREE[schooling]}`;

      const base = `${iso(birth).replace(/-/g, '')}${start.getUTCFullYear()}${pad(start.getUTCMonth() + 1)}${sex === 'MALE' ? 1 : 2}`;
      let sequence = 1;
      while (used.has(`${base}${pad(sequence, 3)}`)) sequence++;
      const nip = `${base}${pad(sequence, 3)}`;
      used.add(nip);

      let agencyCode = agency.code;
      let unitCode: string | null = pick(units).code;
      const history: DemoCareerEvent[] = [];

      if (pppk) {
        const field = pick(SKILL);
        const type: PositionType = schooling === 'SMA' || schooling === 'D3' ? 'TERAMPIL' : 'AHLI_PERTAMA';
        const rank = PPPK_ENTRY[schooling];
        const positionName = `${field === 'Analis Kebijakan' || field === 'Auditor' || field === 'Perencana' ? 'Pranata Komputer' : field} ${LEVEL[type]}`;
        history.push({
          kind: 'APPOINTMENT',
          effectiveDate: iso(start),
          decreeNumber: decree('PPPK', agencyCode, start),
          asnStatus: 'PPPK',
          agencyCode,
          unitCode,
          rank,
          positionName,
          positionType: type,
        });
        employees.push({
          nip,
          name,
          sex,
          birthDate: iso(birth),
          asnStatus: 'PPPK',
          agencyCode,
          unitCode,
          rank,
          rankTmt: iso(start),
          positionName,
          positionType: type,
          history,
        });
        continue;
      }

      const track: Track = pick<Track>(
        schooling === 'SMA'
          ? ['PELAKSANA', 'PELAKSANA', 'CRAFT']
          : schooling === 'D3'
            ? ['CRAFT', 'CRAFT', 'PELAKSANA', 'STRUCTURAL']
            : ['SKILL', 'SKILL', 'STRUCTURAL', 'PELAKSANA'],
      );
      const field = track === 'CRAFT' ? pick(CRAFT) : track === 'SKILL' ? pick(SKILL) : pick(PELAKSANA);
      const structuralUnit = () =>
        units
          .find((u) => u.code === unitCode)
          ?.name.replace(/^(Badan|Dinas|Biro|Bagian|Deputi Bidang|Direktorat Jenderal|Direktorat|Sekretariat|Inspektorat) ?/, '') || 'Umum';
      let rank = ENTRY[schooling];
      // Appointed CPNS; confirmed as PNS after a year of probation (those appointed less
      // than a year ago are still CPNS).
      const probation = addMonths(start, 12) > asOf;
      const asnStatus: AsnStatus = probation ? 'CPNS' : 'PNS';
      let position = positionFor(track, rank, field, structuralUnit());
      history.push({
        kind: 'APPOINTMENT',
        effectiveDate: iso(start),
        decreeNumber: decree('CPNS', agencyCode, start),
        asnStatus: 'CPNS',
        agencyCode,
        unitCode,
        rank,
        ...position,
      });
      if (!probation) {
        const confirmed = addMonths(start, 12);
        history.push({ kind: 'CONFIRMATION', effectiveDate: iso(confirmed), decreeNumber: decree('PNS', agencyCode, confirmed), asnStatus: 'PNS' });
      }
      let rankTmt = start;

      // Careers move in steps of whole months: a promotion every 4-6 years (on 1 April or
      // 1 October, the two promotion dates), a transfer now and then, and a new position
      // whenever the rank opens one.
      let cursor = start;
      const transferAt = random() < 0.25 ? addMonths(start, int(30, 200)) : undefined;
      for (;;) {
        const years = pick([4, 4, 4, 5, 5, 6]);
        let next = addMonths(rankTmt, years * 12);
        next = utc(next.getUTCFullYear() + (next.getUTCMonth() >= 9 ? 1 : 0), next.getUTCMonth() < 3 || next.getUTCMonth() >= 9 ? 4 : 10, 1);
        if (transferAt && transferAt > cursor && transferAt < next && transferAt <= asOf && !probation) {
          const crossAgency = random() < 0.4;
          const target = crossAgency ? pick(DEMO_AGENCIES.filter((a) => a.code !== agencyCode)) : DEMO_AGENCIES.find((a) => a.code === agencyCode)!;
          const targetUnits = flattenUnits(target.units).filter((u) => u.code !== unitCode || target.code !== agencyCode);
          agencyCode = target.code;
          unitCode = pick(targetUnits).code;
          history.push({ kind: 'TRANSFER', effectiveDate: iso(transferAt), decreeNumber: decree('MUTASI', agencyCode, transferAt), agencyCode, unitCode });
          cursor = transferAt;
        }
        if (next > asOf || rankIndex(rank) >= rankIndex((track === 'PELAKSANA' ? PELAKSANA_CEILING : CEILING)[schooling]) || probation) break;
        rank = GOLONGAN[rankIndex(rank) + 1] as Golongan;
        rankTmt = next;
        cursor = next;
        history.push({ kind: 'PROMOTION', effectiveDate: iso(next), decreeNumber: decree('KP', agencyCode, next), rank });
        const fits = positionFor(track, rank, field, structuralUnit());
        if (fits.positionType !== position.positionType) {
          const at = addMonths(next, int(1, 6));
          if (at <= asOf) {
            position = fits;
            history.push({ kind: 'POSITION_CHANGE', effectiveDate: iso(at), decreeNumber: decree('JAB', agencyCode, at), ...position });
            cursor = at;
          }
        }
      }
      employees.push({ nip, name, sex, birthDate: iso(birth), asnStatus, agencyCode, unitCode, rank, rankTmt: iso(rankTmt), ...position, history });
    }
  }
  return employees;
}

/** The demo employees, generated once. */
export const DEMO_EMPLOYEES: readonly DemoEmployee[] = demoEmployees();
