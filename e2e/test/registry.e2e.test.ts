import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

let platform: Platform;

beforeAll(async () => {
  // Demo data: identity's agencies and their administrators, the registry's catalogue.
  platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { services: ['identity', 'registry'] });
});
afterAll(async () => {
  await platform?.stop();
});

async function login(username: string): Promise<string> {
  const res = await postGraphQL<{ login: { token: string } }>(
    platform.url,
    'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: username, p: platform.adminPassword },
  );
  const token = res.body.data?.login.token;
  if (!token) throw new Error(`login of ${username} failed: ${JSON.stringify(res.body.errors)}`);
  return token;
}

interface Cluster {
  score: number;
  explanation: string;
  yearlySavingRupiah: string;
  sharedFunctions: { function: { code: string; name: string } }[];
  replacement: { name: string; application: { name: string; owner: { name: string } | null } | null } | null;
  applications: { name: string; ownerAgencyCode: string; annualCostRupiah: string; owner: { code: string; name: string } | null }[];
}

describe('the application catalogue through the gateway', () => {
  it('shows a national administrator which applications duplicate each other and what consolidating them would save', async () => {
    const token = await login('admin');
    const ask = () =>
      postGraphQL<{
        duplicateClusters: Cluster[];
        nationalApplicationReport: {
          potentialSavingRupiah: string;
          annualSpendRupiah: string;
          mostDuplicatedFunctions: { function: { code: string }; applicationCount: number }[];
        };
      }>(
        platform.url,
        `{
        duplicateClusters {
          score explanation yearlySavingRupiah
          sharedFunctions { function { code name } }
          replacement { name application { name owner { name } } }
          applications { name ownerAgencyCode annualCostRupiah owner { code name } }
        }
        nationalApplicationReport { potentialSavingRupiah annualSpendRupiah mostDuplicatedFunctions { function { code } applicationCount } }
      }`,
        {},
        token,
      );
    // The registry learns identity's agencies from identity's events, which may still be on their way.
    let res = await ask();
    const national = new Set(['ANRI', 'KEMENDAGRI', 'LKPP', 'BAPPENAS']); // owners of aplikasi umum identity does not hold
    const complete = () => res.body.data?.duplicateClusters.every((c) => c.applications.every((a) => a.owner || national.has(a.ownerAgencyCode)));
    for (let i = 0; i < 60 && !complete(); i++) {
      await new Promise((r) => setTimeout(r, 500));
      res = await ask();
    }
    expect(res.body.errors).toBeUndefined();
    const clusters = res.body.data!.duplicateClusters;
    const eoffice = clusters.find((c) => c.replacement?.name === 'SRIKANDI')!;
    expect(eoffice.sharedFunctions[0]!.function).toEqual({ code: 'PERSURATAN', name: 'Persuratan dan kearsipan' });
    // Application.owner is identity's Agency, merged by the gateway.
    // SRIKANDI's owner, ANRI, is not among identity's agencies: its owner is null, not an error.
    const owners = new Set(eoffice.applications.map((a) => a.owner?.name));
    expect([...owners]).toEqual(expect.arrayContaining(['Kota Surabaya', 'Kabupaten Bojonegoro', 'Provinsi Jawa Tengah']));
    expect(BigInt(eoffice.yearlySavingRupiah)).toBeGreaterThan(0n);
    expect(eoffice.explanation).toMatch(/could move onto SRIKANDI, saving Rp [\d.]+ a year\./);
    for (const name of ['SIASN', 'SP4N-LAPOR!']) expect(clusters.some((c) => c.replacement?.name === name)).toBe(true);

    const report = res.body.data!.nationalApplicationReport;
    const total = clusters.reduce((s, c) => s + BigInt(c.yearlySavingRupiah), 0n);
    expect(BigInt(report.potentialSavingRupiah)).toBe(total);
    expect(BigInt(report.potentialSavingRupiah)).toBeLessThan(BigInt(report.annualSpendRupiah));
    expect(report.mostDuplicatedFunctions.length).toBeGreaterThan(5);
  });

  it('lists an agency with its applications in one query (Agency.applications from the registry)', async () => {
    const token = await login('admin.kota-yogyakarta');
    const res = await postGraphQL<{ agency: { name: string; applications: { name: string; owner: { code: string } }[] } }>(
      platform.url,
      '{ agency(code: "KOTA-YOGYAKARTA") { name applications { name owner { code } } } }',
      {},
      token,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.agency.name).toBe('Kota Yogyakarta');
    expect(res.body.data!.agency.applications.length).toBeGreaterThan(20);
    expect(res.body.data!.agency.applications.every((a) => a.owner.code === 'KOTA-YOGYAKARTA')).toBe(true);
  });

  it('lets an agency administrator register for their own agency but not for another', async () => {
    const token = await login('admin.kab-banyuwangi');
    const register = `mutation ($input: RegisterApplicationInput!) { registerApplication(input: $input) { name kind owner { name } } }`;
    const input = {
      ownerAgencyCode: 'KOTA-SURABAYA',
      name: 'Aplikasi Titipan',
      description: 'Pendataan pedagang pasar.',
      functionCodes: ['PENDAPATAN'],
      status: 'PLANNED',
      annualCostRupiah: '150000000',
      hosting: 'AGENCY_OWN',
      userCount: 10,
    };
    const refused = await postGraphQL(platform.url, register, { input }, token);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.body.data).toBeNull();

    const own = await postGraphQL<{ registerApplication: { name: string; kind: string; owner: { name: string } } }>(
      platform.url,
      register,
      { input: { ...input, ownerAgencyCode: 'KAB-BANYUWANGI' } },
      token,
    );
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.registerApplication).toEqual({ name: 'Aplikasi Titipan', kind: 'KHUSUS', owner: { name: 'Kabupaten Banyuwangi' } });

    const clusters = await postGraphQL(platform.url, '{ duplicateClusters { id } }', {}, token);
    expect(clusters.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
