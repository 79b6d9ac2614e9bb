import { describe, expect, it } from 'vitest';
import { adoptionOverview, type AppFacts } from '../src/adoption/adoption-rates.ts';
import { toCsv } from '../src/reports/csv.ts';

describe(toCsv.name, () => {
  it('quotes what needs quoting, ends lines with CRLF and defuses spreadsheet formulas', () => {
    expect(
      toCsv(
        ['name', 'cost', 'note'],
        [
          ['e-Office, Surabaya', 1250000000n, 'kata "resmi"'],
          ['=HYPERLINK("x")', -5, null],
        ],
      ),
    ).toBe('name,cost,note\r\n"e-Office, Surabaya",1250000000,"kata ""resmi"""\r\n"\'=HYPERLINK(""x"")",-5,\r\n');
  });

  it('quotes a field holding ";" so that a spreadsheet set to ";" keeps it one cell (issue 16)', () => {
    expect(toCsv(['name'], [['Dinas A; Dinas B']])).toBe('name\r\n"Dinas A; Dinas B"\r\n');
  });

  it('defuses a formula after any separator inside a field, not only at its start (issue 16)', () => {
    expect(toCsv(['note'], [["x;=cmd|' /C calc'!A0"]])).toBe("note\r\n\"x;'=cmd|' /C calc'!A0\"\r\n");
    expect(toCsv(['note'], [['a,+1+1', 'b\t@SUM(A1)', 'c\r\n-2+3', ' =1+1']])).toBe('note\r\n"a,\'+1+1","b\t\'@SUM(A1)","c\r\n\'-2+3","\' =1+1"\r\n');
  });

  it('leaves numbers, negative ones too, as they are', () => {
    expect(toCsv(['n'], [['-5'], ['Rp 1.000; -250']])).toBe('n\r\n-5\r\n"Rp 1.000; -250"\r\n');
  });
});

describe(adoptionOverview.name, () => {
  const app = (id: string, owner: string, functionCodes: string[], kind: 'UMUM' | 'KHUSUS' = 'KHUSUS', replacedById: string | null = null): AppFacts => ({
    id,
    ownerAgencyCode: owner,
    name: id,
    functionCodes,
    kind,
    replacedById,
  });
  const apps = [
    app('srikandi', 'ANRI', ['PERSURATAN'], 'UMUM'),
    app('lapor', 'KEMENPANRB', ['PENGADUAN'], 'UMUM'),
    app('eoffice-a', 'A', ['PERSURATAN'], 'KHUSUS', 'srikandi'),
    app('eoffice-b', 'B', ['PERSURATAN']),
    app('aduan-b', 'B', ['PENGADUAN']),
    app('parkir-c', 'C', ['PENDAPATAN']),
  ];
  const overview = adoptionOverview(apps, [
    { commonApplicationId: 'srikandi', agencyCode: 'A', state: 'ADOPTED' },
    { commonApplicationId: 'lapor', agencyCode: 'C', state: 'MIGRATING' },
  ]);

  it('counts as concerned the agencies with a record or an own application serving a covered function', () => {
    expect(overview.byCommon).toEqual([
      {
        commonApplicationId: 'srikandi',
        agencies: [
          { agencyCode: 'A', state: 'ADOPTED' },
          { agencyCode: 'B', state: 'NOT_STARTED' },
        ],
        retiredApplicationIds: ['eoffice-a'],
        adopted: 1,
        migrating: 0,
        notStarted: 1,
        rate: 0.5,
      },
      {
        commonApplicationId: 'lapor',
        agencies: [
          { agencyCode: 'B', state: 'NOT_STARTED' },
          { agencyCode: 'C', state: 'MIGRATING' },
        ],
        retiredApplicationIds: [],
        adopted: 0,
        migrating: 1,
        notStarted: 1,
        rate: 0,
      },
    ]);
  });

  it('rates each function and each agency over its concerned pairs', () => {
    expect(overview.byFunction.map((f) => [f.functionCode, f.rate])).toEqual([
      ['PENGADUAN', 0],
      ['PERSURATAN', 0.5],
    ]);
    expect(overview.byAgency.map((a) => [a.agencyCode, a.adopted, a.migrating, a.notStarted, a.rate])).toEqual([
      ['A', 1, 0, 0, 1],
      ['B', 0, 0, 2, 0],
      ['C', 0, 1, 0, 0],
    ]);
  });
});
