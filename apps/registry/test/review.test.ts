import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, NATIONAL_ADMIN, startTestRegistry, type TestRegistry, type TestUser } from './support/registry.ts';

const REVIEWER: TestUser = { username: 'reviewer', agencyCode: 'KEMENPANRB', roles: ['DUPLICATE_REVIEWER'] };
const SLEMAN_ADMIN: TestUser = { username: 'admin.kab-sleman', agencyCode: 'KAB-SLEMAN', roles: ['AGENCY_ADMIN'] };
const BANDUNG_ADMIN: TestUser = { username: 'admin.kota-bandung', agencyCode: 'KOTA-BANDUNG', roles: ['AGENCY_ADMIN'] };

let registry: TestRegistry;
const ids: Record<string, string> = {};

const REGISTER = `mutation ($input: RegisterApplicationInput!) { registerApplication(input: $input) { id } }`;
const REVIEW = `mutation ($ids: [ID!]!, $decision: DuplicateDecision!, $reason: String!) {
  reviewDuplicate(applicationIds: $ids, decision: $decision, reason: $reason) { id decision reason reviewedBy applications { name } }
}`;
const CLUSTERS = `{ duplicateClusters {
  id confirmed applications { id name }
  consolidationPlan { action targetName target { name } retiredApplications { name } yearlySavingRupiah summary
    agenciesToContact { agencyCode request applications { name } } }
} }`;

type Cluster = { id: string; confirmed: boolean; applications: { id: string; name: string }[]; consolidationPlan: Record<string, unknown> };

async function clusters(): Promise<Cluster[]> {
  const res = await registry.gql(CLUSTERS, {}, REVIEWER);
  expect(res.errors).toBeUndefined();
  return res.data.duplicateClusters;
}
/** The names of the members of the cluster holding `name`, sorted; [] when it is in none. */
async function clusterWith(name: string): Promise<string[]> {
  const found = (await clusters()).find((c) => c.applications.some((a) => a.name === name));
  return found ? found.applications.map((a) => a.name).sort() : [];
}

async function register(agency: string, name: string, description: string, cost: string, userCount: number): Promise<void> {
  const res = await registry.gql(
    REGISTER,
    {
      input: {
        ownerAgencyCode: agency,
        name,
        description,
        functionCodes: ['PERSURATAN'],
        status: 'IN_PRODUCTION',
        annualCostRupiah: cost,
        hosting: 'AGENCY_OWN',
        userCount,
      },
    },
    NATIONAL_ADMIN,
  );
  expect(res.errors).toBeUndefined();
  ids[name] = res.data.registerApplication.id;
}

beforeAll(async () => {
  registry = await startTestRegistry();
  await register(
    'KAB-SLEMAN',
    'TNDE Sleman',
    'TNDE: surat masuk dan surat keluar, disposisi pimpinan, paraf berjenjang dan tanda tangan elektronik naskah dinas.',
    '400000000',
    900,
  );
  await register(
    'KOTA-BANDUNG',
    'e-Office Bandung',
    'Electronic office: incoming dan outgoing letters, disposisi online, digital signature naskah dinas dan arsip surat.',
    '600000000',
    1200,
  );
  await register(
    'KAB-GRESIK',
    'Persuratan Gresik',
    'Agenda surat masuk dan surat keluar, penerusan disposisi, penomoran naskah dinas dan arsip surat.',
    '300000000',
    500,
  );
  await register('PROV-JABAR', 'Buku Tamu Jabar', 'Pencatatan tamu kantor, keperluan kunjungan dan pejabat yang ditemui.', '100000000', 50);
}, 60_000);
afterAll(async () => {
  await registry?.close();
});

describe('the finder through the graph', () => {
  it('groups the three e-offices, not the guest book, with a consolidation plan', async () => {
    expect(await clusterWith('TNDE Sleman')).toEqual(['Persuratan Gresik', 'TNDE Sleman', 'e-Office Bandung']);
    expect(await clusterWith('Buku Tamu Jabar')).toEqual([]);
    const eoffice = (await clusters()).find((c) => c.applications.some((a) => a.name === 'TNDE Sleman'))!;
    // SRIKANDI covers official correspondence but is not catalogued here: every own system moves onto it.
    expect(eoffice.confirmed).toBe(false);
    expect(eoffice.consolidationPlan).toMatchObject({
      action: 'MOVE_TO_COMMON_APPLICATION',
      targetName: 'SRIKANDI',
      target: null,
      yearlySavingRupiah: '1300000000',
      summary: 'Move 3 own applications onto the aplikasi umum SRIKANDI, saving Rp 1.300.000.000 a year.',
    });
    expect(eoffice.consolidationPlan.agenciesToContact).toEqual([
      { agencyCode: 'KAB-GRESIK', request: 'Retire Persuratan Gresik and move its users onto SRIKANDI', applications: [{ name: 'Persuratan Gresik' }] },
      { agencyCode: 'KAB-SLEMAN', request: 'Retire TNDE Sleman and move its users onto SRIKANDI', applications: [{ name: 'TNDE Sleman' }] },
      { agencyCode: 'KOTA-BANDUNG', request: 'Retire e-Office Bandung and move its users onto SRIKANDI', applications: [{ name: 'e-Office Bandung' }] },
    ]);
  });

  it("shows an application's candidates to its agency's administrator and national roles, not to other agencies", async () => {
    const query = `query ($id: ID!) { application(id: $id) { name duplicateCandidates { application { name ownerAgencyCode } score reasons } } }`;
    const own = await registry.gql(query, { id: ids['TNDE Sleman'] }, SLEMAN_ADMIN);
    expect(own.errors).toBeUndefined();
    const candidates = own.data.application.duplicateCandidates as { application: { name: string }; score: number; reasons: string[] }[];
    expect(candidates.map((c) => c.application.name).sort()).toEqual(['Persuratan Gresik', 'e-Office Bandung']);
    expect(candidates[0]!.score).toBeGreaterThanOrEqual(candidates[1]!.score);
    expect(candidates[0]!.score).toBeGreaterThanOrEqual(0.4);
    expect(candidates[0]!.reasons[0]).toBe('serves the same function: Persuratan dan kearsipan');
    expect(candidates[0]!.reasons[1]).toMatch(/^describes the same work: .*surat/);
    expect((await registry.gql(query, { id: ids['TNDE Sleman'] }, REVIEWER)).data.application.duplicateCandidates).toHaveLength(2);
    const other = await registry.gql(query, { id: ids['TNDE Sleman'] }, BANDUNG_ADMIN);
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.data.application).toEqual({ name: 'TNDE Sleman', duplicateCandidates: null });
  });
});

describe('reviewDuplicate', () => {
  it('is for national administrators and duplicate reviewers; a refusal is audited', async () => {
    const res = await registry.gql(REVIEW, { ids: [ids['TNDE Sleman'], ids['Persuratan Gresik']], decision: 'REJECTED', reason: 'mine' }, SLEMAN_ADMIN);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    const audit = await registry.service.prisma.outboxEvent.findFirst({
      where: { type: 'registry.audit.recorded', payload: { path: ['data', 'action'], equals: 'duplicate.review' } },
    });
    expect((audit?.payload as { data: unknown }).data).toMatchObject({ outcome: 'DENIED', actorName: 'admin.kab-sleman' });
  });

  it('refuses bad input with a clear error and stores nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ids: [ids['TNDE Sleman']], decision: 'REJECTED', reason: 'only one' }, 'BAD_USER_INPUT'],
      [{ ids: [ids['TNDE Sleman'], ids['TNDE Sleman']], decision: 'REJECTED', reason: 'twice the same' }, 'BAD_USER_INPUT'],
      [{ ids: [ids['TNDE Sleman'], ids['Buku Tamu Jabar']], decision: 'CONFIRMED', reason: '  ' }, 'BAD_USER_INPUT'],
      [{ ids: [ids['TNDE Sleman'], '00000000-0000-4000-8000-000000000000'], decision: 'CONFIRMED', reason: 'unknown id' }, 'NOT_FOUND'],
      [{ ids: [ids['TNDE Sleman'], 'not-an-id'], decision: 'CONFIRMED', reason: 'malformed id' }, 'NOT_FOUND'],
    ];
    for (const [variables, code] of cases)
      expect([variables.reason, errorCodes(await registry.gql(REVIEW, variables, REVIEWER))]).toEqual([variables.reason, [code]]);
    expect(await registry.service.prisma.duplicateDecision.count()).toBe(0);
  });

  it('a rejected pair is never in one cluster again, also after the catalogue changes', async () => {
    const res = await registry.gql(
      REVIEW,
      { ids: [ids['TNDE Sleman'], ids['Persuratan Gresik']], decision: 'REJECTED', reason: 'Gresik runs a records register, not an e-office' },
      REVIEWER,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.reviewDuplicate).toMatchObject({ decision: 'REJECTED', reviewedBy: 'reviewer', reason: 'Gresik runs a records register, not an e-office' });
    const audits = await registry.service.prisma.outboxEvent.findMany({
      where: { type: 'registry.audit.recorded', payload: { path: ['data', 'action'], equals: 'duplicate.review' } },
    });
    expect(
      audits.map((a) => (a.payload as { data: { outcome: string; detail: { decision?: string } } }).data).find((d) => d.outcome === 'SUCCESS')?.detail.decision,
    ).toBe('REJECTED');

    const together = (a: string, b: string, members: string[]) => members.includes(a) && members.includes(b);
    expect(together('TNDE Sleman', 'Persuratan Gresik', await clusterWith('TNDE Sleman'))).toBe(false);
    // The catalogue changes: Gresik's description becomes even closer to Sleman's. The analysis runs again, still apart.
    const update = await registry.gql(
      `mutation ($id: ID!, $d: String!) { updateApplication(id: $id, input: { description: $d }) { id } }`,
      { id: ids['Persuratan Gresik'], d: 'TNDE: surat masuk dan surat keluar, disposisi pimpinan, paraf berjenjang dan tanda tangan elektronik naskah dinas.' },
      NATIONAL_ADMIN,
    );
    expect(update.errors).toBeUndefined();
    await registry.service.managers.analyser.recompute();
    expect(together('TNDE Sleman', 'Persuratan Gresik', await clusterWith('TNDE Sleman'))).toBe(false);
    expect(together('TNDE Sleman', 'Persuratan Gresik', await clusterWith('Persuratan Gresik'))).toBe(false);
  });

  it('a confirmed cluster stays together as the catalogue changes, and says it is confirmed', async () => {
    const res = await registry.gql(
      REVIEW,
      { ids: [ids['e-Office Bandung'], ids['Buku Tamu Jabar']], decision: 'CONFIRMED', reason: 'Jabar registers visitors and letters in one desk system' },
      REVIEWER,
    );
    expect(res.errors).toBeUndefined();
    expect(await clusterWith('Buku Tamu Jabar')).toContain('e-Office Bandung');
    // The guest book's description moves even further from an e-office: still together.
    await registry.gql(
      `mutation ($id: ID!) { updateApplication(id: $id, input: { description: "Peminjaman kendaraan dinas dan ruang rapat." }) { id } }`,
      { id: ids['Buku Tamu Jabar'] },
      NATIONAL_ADMIN,
    );
    await registry.service.managers.analyser.recompute();
    const cluster = (await clusters()).find((c) => c.applications.some((a) => a.name === 'Buku Tamu Jabar'))!;
    expect(cluster.applications.map((a) => a.name)).toContain('e-Office Bandung');
    expect(cluster.confirmed).toBe(cluster.applications.length === 2);
    const reviews = await registry.gql(
      `query ($id: ID!) { duplicateReviews(applicationId: $id) { decision reason } }`,
      { id: ids['Buku Tamu Jabar'] },
      REVIEWER,
    );
    expect(reviews.data.duplicateReviews).toEqual([{ decision: 'CONFIRMED', reason: 'Jabar registers visitors and letters in one desk system' }]);
  });

  it('refuses a rejection that confirmations contradict (CONFLICT), naming the chain', async () => {
    const confirm = await registry.gql(
      REVIEW,
      { ids: [ids['TNDE Sleman'], ids['e-Office Bandung']], decision: 'CONFIRMED', reason: 'same e-office work' },
      REVIEWER,
    );
    expect(confirm.errors).toBeUndefined();
    // Sleman—Bandung and Bandung—Jabar are confirmed: Sleman and Jabar are in one cluster.
    const before = await registry.service.prisma.duplicateDecision.count();
    const res = await registry.gql(REVIEW, { ids: [ids['TNDE Sleman'], ids['Buku Tamu Jabar']], decision: 'REJECTED', reason: 'not the same' }, REVIEWER);
    expect(errorCodes(res)).toEqual(['CONFLICT']);
    expect(res.errors?.[0]?.message).toMatch(/TNDE Sleman → e-Office Bandung → Buku Tamu Jabar|Buku Tamu Jabar → e-Office Bandung → TNDE Sleman/);
    expect(await registry.service.prisma.duplicateDecision.count()).toBe(before);
  });

  it("puts the plans into the national report as CSV, and each application's plan into its agency's CSV", async () => {
    const national = await registry.gql('{ nationalApplicationReport { consolidationCsv } }', {}, NATIONAL_ADMIN);
    expect(national.errors).toBeUndefined();
    const lines = (national.data.nationalApplicationReport.consolidationCsv as string).split('\r\n');
    expect(lines[0]).toBe('cluster_id,confirmed,action,target,members,agencies,retired_applications,yearly_saving_rupiah,agencies_to_contact,summary');
    expect(lines.some((l) => l.includes(',yes,MOVE_TO_COMMON_APPLICATION,SRIKANDI,') && l.includes('Buku Tamu Jabar'))).toBe(true);
    const agency = await registry.gql('{ agencyApplicationReport(agencyCode: "KOTA-BANDUNG") { csv } }', {}, BANDUNG_ADMIN);
    const [header, row] = (agency.data.agencyApplicationReport.csv as string).split('\r\n');
    expect(header).toMatch(/,consolidation_action,consolidation_target,agencies_to_contact$/);
    expect(row).toMatch(/,MOVE_TO_COMMON_APPLICATION,SRIKANDI,.*KOTA-BANDUNG/);
  });
});
