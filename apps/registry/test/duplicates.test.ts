import { describe, expect, it } from 'vitest';
import { clusteredPairs, DEFAULT_MIN_SCORE, findDuplicates, TEXT_FLOOR } from '../src/duplicates/find-duplicates.ts';
import { syntheticCatalogue } from '../src/duplicates/synthetic-catalogue.ts';
import { commonApplicationName } from '../src/functions/taxonomy.ts';
import { HELD_OUT_APPLICATIONS } from './fixtures/held-out-applications.ts';
import { LABELLED_APPLICATIONS } from './fixtures/labelled-applications.ts';
import { labelledEntries } from './fixtures/labelled-entry.ts';
import { measure } from './support/quality.ts';

const byId = new Map(LABELLED_APPLICATIONS.map((e) => [e.id, e]));

function quality(strategy: 'blocked' | 'all-pairs', minScore = DEFAULT_MIN_SCORE) {
  return measure(LABELLED_APPLICATIONS, { minScore, strategy });
}

describe('duplicate finder quality on the held-out fixture (never used for tuning)', () => {
  it('holds precision ≥ 0.9 and recall ≥ 0.85 at the default threshold', () => {
    const q = measure(HELD_OUT_APPLICATIONS, { minScore: DEFAULT_MIN_SCORE, commonApplicationName });
    // The figures go into the closing note; printing them keeps the note honest.
    console.info(`held-out fixture @${DEFAULT_MIN_SCORE}: ${JSON.stringify(q)}`);
    expect(q.truth).toBe(37);
    expect(q.precision).toBeGreaterThanOrEqual(0.9);
    expect(q.recall).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps look-alikes that share a function code apart: no cluster holds two labelled groups', () => {
    const group = new Map(HELD_OUT_APPLICATIONS.map((e) => [e.id, e.group]));
    for (const cluster of findDuplicates(HELD_OUT_APPLICATIONS).clusters) {
      const groups = new Set(cluster.memberIds.map((id) => group.get(id)).filter((g) => g !== null));
      expect([...groups]).toHaveLength(1);
    }
  });

  it('never links on a shared function alone, even at the lowest threshold the graph accepts', () => {
    const app = labelledEntries('floor');
    const entries = [
      app(null, 'KAB-A', 'Presensi A', ['KEPEGAWAIAN'], 'Presensi pegawai dengan sidik jari dan rekap jam masuk.'),
      app(null, 'KAB-B', 'Kepegawaian B', ['KEPEGAWAIAN'], 'Data induk pegawai, riwayat pangkat, jabatan dan mutasi.'),
    ];
    // Same function, one common word ("pegawai"): the texts are far below the floor.
    expect(findDuplicates(entries, { minScore: 0.05 }).clusters).toEqual([]);
    expect(findDuplicates(entries, { minScore: 0.05, textFloor: 0 }).clusters).toHaveLength(1);
    expect(TEXT_FLOOR).toBeGreaterThan(0);
  });

  it('does not chain two groups through a one-of-a-kind system that resembles both', () => {
    const app = labelledEntries('chain');
    const entries = [
      app('gaji', 'KAB-A', 'Gaji A', ['KEPEGAWAIAN'], 'Penghitungan gaji pegawai, potongan pajak dan slip gaji bulanan.'),
      app('gaji', 'KAB-B', 'Gaji B', ['KEPEGAWAIAN'], 'Daftar gaji pegawai, potongan iuran dan cetak slip gaji.'),
      app(null, 'KAB-C', 'Dashboard C', ['KEPEGAWAIAN'], 'Slip gaji, potongan gaji, riwayat pangkat dan usul kenaikan pangkat.'),
      app('pangkat', 'KAB-D', 'Kepangkatan D', ['KEPEGAWAIAN'], 'Riwayat pangkat dan jabatan pegawai, usul kenaikan pangkat.'),
      app('pangkat', 'KAB-E', 'Kepangkatan E', ['KEPEGAWAIAN'], 'Usul kenaikan pangkat, riwayat jabatan dan pangkat pegawai.'),
    ];
    // The dashboard links to both groups on its own (A-B, D-E, and C with each of the four):
    // single linkage would make one cluster of five …
    expect(findDuplicates(entries, { strategy: 'all-pairs' }).stats.pairsLinked).toBe(6);
    // … but no cluster holds both groups.
    const { clusters } = findDuplicates(entries);
    expect(clusters.length).toBeGreaterThan(0);
    for (const cluster of clusters) {
      const names = cluster.memberIds.map((id) => entries.find((e) => e.id === id)!.name);
      expect([names, names.some((n) => n.startsWith('Gaji')) && names.some((n) => n.startsWith('Kepangkatan'))]).toEqual([names, false]);
    }
  });
});

describe('duplicate finder quality on the tuning fixture', () => {
  it('holds precision ≥ 0.9 and recall ≥ 0.9 at the default threshold', () => {
    const blocked = quality('blocked');
    console.info(`tuning fixture @${DEFAULT_MIN_SCORE}: ${JSON.stringify({ ...blocked, wrong: undefined, missed: undefined })}`);
    expect(blocked.truth).toBe(50);
    expect(blocked.precision).toBeGreaterThanOrEqual(0.9);
    expect(blocked.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('trades recall for precision as the threshold rises', () => {
    const low = quality('blocked', 0.25);
    const high = quality('blocked', 0.55);
    expect(low.recall).toBeGreaterThanOrEqual(high.recall);
    expect(high.precision).toBeGreaterThanOrEqual(low.precision);
    expect(high.recall).toBeLessThan(0.9);
  });

  it('keeps the hard negatives apart: attendance is not personnel records, hospital queues are not clinic records', () => {
    const { clusters } = findDuplicates(LABELLED_APPLICATIONS);
    const clustered = new Set(clusters.flatMap((c) => c.memberIds));
    const apart = [
      'Absensi Pegawai',
      'Gaji dan Tunjangan',
      'Antrean Rumah Sakit',
      'Beasiswa Jateng',
      'Survei Kepuasan Masyarakat',
      'e-PBB',
      'Izin Reklame',
      'Arsip Foto Humas',
    ];
    for (const name of apart) expect([name, clustered.has(LABELLED_APPLICATIONS.find((e) => e.name === name)!.id)]).toEqual([name, false]);
  });
});

describe(findDuplicates.name, () => {
  const { clusters } = findDuplicates(LABELLED_APPLICATIONS, { commonApplicationName });
  const clusterOf = (name: string) => clusters.find((c) => c.memberIds.some((id) => byId.get(id)?.name === name))!;

  it('explains a cluster: shared functions, shared words, the aplikasi umum that replaces it, and the saving', () => {
    const eoffice = clusterOf('e-Office Banyuwangi');
    expect(eoffice.memberIds.map((id) => byId.get(id)!.name).sort()).toEqual(
      ['Jogja e-Surat', 'SIMADU Persuratan', 'SIMPERSURATAN', 'SRIKANDI', 'Tata Naskah Dinas Elektronik (TNDE)', 'e-Office Banyuwangi'].sort(),
    );
    expect(eoffice.sharedFunctions[0]).toEqual({ code: 'PERSURATAN', count: 6 });
    expect(eoffice.sharedTerms).toEqual(expect.arrayContaining(['surat', 'disposisi', 'naskah']));
    expect(eoffice.replacement).toEqual({ id: byId.get('fx-01')!.id, name: 'SRIKANDI' });
    // Every own (KHUSUS) member is retired in favour of the aplikasi umum: 5 × Rp 500 million.
    expect(eoffice.retiredIds).toHaveLength(5);
    expect(eoffice.savingRupiah).toBe(2_500_000_000n);
  });

  it('without an aplikasi umum keeps the most-used member and saves the cost of the others', () => {
    const parking = clusterOf('e-Parkir');
    expect(parking.replacement).toBeNull();
    const kept = byId.get(parking.keptId!)!;
    const members = parking.memberIds.map((id) => byId.get(id)!);
    expect(kept.userCount).toBe(Math.max(...members.map((m) => m.userCount)));
    expect(parking.savingRupiah).toBe(members.filter((m) => m !== kept).reduce((s, m) => s + m.annualCostRupiah, 0n));
  });

  it('names the taxonomy aplikasi umum when none is in the catalogue', () => {
    const withoutSiasn = LABELLED_APPLICATIONS.filter((e) => e.name !== 'SIASN');
    const { clusters: found } = findDuplicates(withoutSiasn, { commonApplicationName });
    const simpeg = found.find((c) => c.memberIds.includes('fx-08'))!;
    expect(simpeg.replacement).toEqual({ id: null, name: 'SIASN' });
  });

  it('never pairs two applications of one agency, nor applications without a shared function', () => {
    const twins = [
      { ...LABELLED_APPLICATIONS[1]!, id: 'a', agencyCode: 'X-1' },
      { ...LABELLED_APPLICATIONS[1]!, id: 'b', agencyCode: 'X-1' },
      { ...LABELLED_APPLICATIONS[1]!, id: 'c', agencyCode: 'X-2', functionCodes: ['HUKUM'] },
    ];
    expect(findDuplicates(twins).clusters).toEqual([]);
  });
});

describe('review decisions in the finder', () => {
  const id = (name: string) => LABELLED_APPLICATIONS.find((e) => e.name === name)!.id;
  const clusterOf = (clusters: { memberIds: string[] }[], name: string) => clusters.find((c) => c.memberIds.includes(id(name)))?.memberIds ?? [];

  it('keeps a rejected pair apart and a confirmed group together, and marks a cluster confirmed whole', () => {
    const plain = findDuplicates(LABELLED_APPLICATIONS).clusters;
    expect(clusterOf(plain, 'e-Office Banyuwangi')).toContain(id('SIMPERSURATAN'));
    expect(clusterOf(plain, 'Absensi Pegawai')).toEqual([]);
    const { clusters } = findDuplicates(LABELLED_APPLICATIONS, {
      decisions: {
        apart: [[id('e-Office Banyuwangi'), id('SIMPERSURATAN')]],
        together: [
          [id('Absensi Pegawai'), id('SIMPEG Jateng')],
          [id('e-Parkir'), id('SI Retribusi Parkir'), id('Parkir Bojonegoro')],
        ],
      },
    });
    const eoffice = clusterOf(clusters, 'e-Office Banyuwangi');
    expect(eoffice.includes(id('SIMPERSURATAN'))).toBe(false);
    expect(clusterOf(clusters, 'Absensi Pegawai')).toContain(id('SIMPEG Jateng'));
    const parking = clusters.find((c) => c.memberIds.includes(id('e-Parkir')))!;
    expect(parking.confirmed).toBe(true);
    expect(clusters.find((c) => c.memberIds.includes(id('Absensi Pegawai')))!.confirmed).toBe(false);
  });

  it("lists each member's closest fellow members with what they share", () => {
    const eoffice = findDuplicates(LABELLED_APPLICATIONS).clusters.find((c) => c.memberIds.includes(id('e-Office Banyuwangi')))!;
    const candidates = eoffice.candidates[id('e-Office Banyuwangi')]!;
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates.map((c) => c.score)).toEqual([...candidates.map((c) => c.score)].sort((a, b) => b - a));
    expect(candidates[0]).toMatchObject({ sharedFunctions: ['PERSURATAN'], sharedTerms: expect.arrayContaining(['surat']) });
  });
});

describe('blocking', () => {
  it('looks at a small share of the pairs and finds nearly every pair that comparing all pairs finds', () => {
    const catalogue = syntheticCatalogue(2_000);
    const agency = new Map(catalogue.map((e) => [e.id, e.agencyCode]));
    const blocked = findDuplicates(catalogue);
    const all = findDuplicates(catalogue, { strategy: 'all-pairs' });
    expect(all.stats.pairsConsidered).toBe((2_000 * 1_999) / 2);
    expect(blocked.stats.pairsConsidered).toBeLessThan(all.stats.pairsConsidered / 20);
    const blockedPairs = clusteredPairs(blocked, (id) => agency.get(id)!);
    const allPairs = clusteredPairs(all, (id) => agency.get(id)!);
    const found = [...allPairs].filter((p) => blockedPairs.has(p)).length;
    // Blocking drops candidate links; with the cohesion check a dropped link can also change
    // which merges follow (which groups meet first), so the answers differ somewhat both ways.
    console.info(`blocking on 2,000: ${blockedPairs.size} pairs, ${allPairs.size} with all pairs, ${found} in both`);
    expect(found / blockedPairs.size).toBeGreaterThan(0.8);
    expect(found / allPairs.size).toBeGreaterThan(0.8);
  });
});
