import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';
import { agencyClient } from './agency-client.ts';

/**
 * Platform-defined agency events the services act on: a regency's SIMPEG publishes an
 * appointment (simpeg.pengangkatan; then simpeg.mutasi, simpeg.pensiun) over HTTP as its agency's API client, undeclared;
 * personnel applies it as `appointEmployee` would and identity opens the account. The
 * same kind of event published by another agency for Banyuwangi is accepted by the gate
 * (it is valid) but refused by personnel, and audited.
 */
let platform: Platform;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { services: ['identity', 'registry', 'personnel'] });
  admin = await login('admin');
});
afterAll(async () => {
  await platform?.stop();
});

const { login, gql, postEvent, ...agency } = agencyClient(() => platform);
const apiClient = (agencyCode: string) => agency.apiClient(agencyCode, admin, 'SIMPEG');

const appointment = (nip: string) => ({
  nip,
  name: 'Dewi Kartika Sari',
  agencyCode: 'KAB-BANYUWANGI',
  unitCode: 'BKPSDM',
  asnStatus: 'CPNS',
  rank: 'III/a',
  positionName: 'Analis Sumber Daya Manusia Aparatur Ahli Pertama',
  positionType: 'AHLI_PERTAMA',
  decreeNumber: '800/123/429.111/2026',
});

describe('SIMPEG appointments (platform-defined agency events)', () => {
  it(
    'an appointment by the agency for itself becomes an employee record and an account; by another agency it is refused and audited',
    { timeout: 180_000 },
    async () => {
      const banyuwangi = await apiClient('KAB-BANYUWANGI');
      const NIP = '199604112021022001';
      const sent = await postEvent('simpeg.pengangkatan', { id: 'sk-pengangkatan-0001', data: appointment(NIP) }, banyuwangi.token);
      expect(sent).toEqual({ status: 202, body: { id: 'sk-pengangkatan-0001', type: 'simpeg.pengangkatan', version: 1, duplicate: false } });

      const employee = await eventually(
        async () => {
          const read = await gql(
            'query ($n: String!) { employee(nip: $n) { nip name agencyCode unitCode asnStatus status user { username status agency { code } } } }',
            { n: NIP },
            admin,
          );
          return read.employee?.user ? read.employee : undefined;
        },
        'the employee and their account',
        90_000,
      );
      expect(employee).toEqual({
        nip: NIP,
        name: 'Dewi Kartika Sari',
        agencyCode: 'KAB-BANYUWANGI',
        unitCode: 'BKPSDM',
        asnStatus: 'CPNS',
        status: 'ACTIVE',
        user: { username: NIP, status: 'ACTIVE', agency: { code: 'KAB-BANYUWANGI' } },
      });
      const history = await gql('query ($n: String!) { employee(nip: $n) { careerHistory { kind decreeNumber } } }', { n: NIP }, admin);
      expect(history.employee.careerHistory).toEqual([{ kind: 'APPOINTMENT', decreeNumber: '800/123/429.111/2026' }]);

      // Another agency's SIMPEG appointing into Banyuwangi: valid, so accepted by the gate, refused by personnel.
      const jateng = await apiClient('PROV-JATENG');
      const OTHER = '199708222022021002';
      expect(
        (await postEvent('simpeg.pengangkatan', { id: 'sk-pengangkatan-0001', data: { ...appointment(OTHER), name: 'Budi Santoso' } }, jateng.token)).status,
      ).toBe(202);
      const denied = await eventually(
        async () => {
          const read = await gql(
            '{ auditLog(filter: { action: "employee.appoint", outcome: DENIED }) { edges { node { service actorName actorAgencyCode target } } } }',
            {},
            admin,
          );
          return read.auditLog.edges.length ? read.auditLog.edges.map((e: { node: unknown }) => e.node) : undefined;
        },
        'the refusal in the audit log',
        90_000,
      );
      expect(denied).toEqual([{ service: 'personnel', actorName: 'SIMPEG PROV-JATENG', actorAgencyCode: 'PROV-JATENG', target: `employee:${OTHER}` }]);
      expect((await gql('query ($n: String!) { employee(nip: $n) { nip } }', { n: OTHER }, admin)).employee).toBeNull();
      // Jateng's system learns it as it learns the gate's refusals: in eventRejections, read with its own token.
      const refusal = await eventually(
        async () => {
          const read = await gql('{ eventRejections(agencyCode: "PROV-JATENG") { eventId eventType refusedBy channel reason } }', {}, jateng.token);
          return read.eventRejections.find((r: { eventId: string }) => r.eventId === 'sk-pengangkatan-0001');
        },
        "personnel's refusal in Jateng's eventRejections",
        90_000,
      );
      expect(refusal).toMatchObject({ eventType: 'simpeg.pengangkatan', refusedBy: 'personnel', channel: 'HTTP' });
      expect(refusal.reason).toMatch(/KAB-BANYUWANGI|HR_OFFICER/);
    },
  );

  it('a transfer within the agency moves the employee and a retirement disables the account; another agency may do neither', { timeout: 180_000 }, async () => {
    const banyuwangi = await apiClient('KAB-BANYUWANGI');
    const jateng = await apiClient('PROV-JATENG');
    const NIP = '199512032020121003';
    expect((await postEvent('simpeg.pengangkatan', { id: 'sk-0002', data: { ...appointment(NIP), name: 'Agus Wijaya' } }, banyuwangi.token)).status).toBe(202);
    await eventually(
      async () => (await gql('query ($n: String!) { employee(nip: $n) { user { username } } }', { n: NIP }, admin)).employee?.user ?? undefined,
      'the appointment',
      90_000,
    );

    // Jateng's SIMPEG can neither move nor retire Banyuwangi's employee: refused and audited, nothing changes.
    expect((await postEvent('simpeg.mutasi', { id: 'mutasi-0001', data: { nip: NIP } }, jateng.token)).status).toBe(202);
    expect((await postEvent('simpeg.pensiun', { id: 'pensiun-0001', data: { nip: NIP, reason: 'Atas permintaan sendiri' } }, jateng.token)).status).toBe(202);
    for (const action of ['employee.transfer', 'employee.retire']) {
      const denied = await eventually(
        async () => {
          const read = await gql(
            'query ($a: String!) { auditLog(filter: { action: $a, outcome: DENIED }) { edges { node { actorName target } } } }',
            { a: action },
            admin,
          );
          return read.auditLog.edges.length ? read.auditLog.edges.map((e: { node: unknown }) => e.node) : undefined;
        },
        `the refused ${action} in the audit log`,
        90_000,
      );
      expect(denied).toEqual([{ actorName: 'SIMPEG PROV-JATENG', target: `employee:${NIP}` }]);
    }
    const unchanged = await gql('query ($n: String!) { employee(nip: $n) { agencyCode status pendingTransfer { toAgencyCode } } }', { n: NIP }, admin);
    expect(unchanged.employee).toEqual({ agencyCode: 'KAB-BANYUWANGI', status: 'ACTIVE', pendingTransfer: null });

    expect((await postEvent('simpeg.mutasi', { id: 'mutasi-0001', data: { nip: NIP, toUnitCode: 'DISKOMINFO' } }, banyuwangi.token)).status).toBe(202);
    const moved = await eventually(
      async () => {
        const read = await gql('query ($n: String!) { employee(nip: $n) { unitCode status careerHistory { kind } } }', { n: NIP }, admin);
        return read.employee?.unitCode === 'DISKOMINFO' ? read.employee : undefined;
      },
      'the transfer',
      90_000,
    );
    expect(moved).toEqual({ unitCode: 'DISKOMINFO', status: 'ACTIVE', careerHistory: [{ kind: 'APPOINTMENT' }, { kind: 'TRANSFER' }] });

    expect((await postEvent('simpeg.pensiun', { id: 'pensiun-0001', data: { nip: NIP, reason: 'Atas permintaan sendiri' } }, banyuwangi.token)).status).toBe(
      202,
    );
    const retired = await eventually(
      async () => {
        const read = await gql('query ($n: String!) { employee(nip: $n) { status user { status } } }', { n: NIP }, admin);
        return read.employee?.user?.status === 'DISABLED' ? read.employee : undefined;
      },
      'the retirement and the disabled account',
      90_000,
    );
    expect(retired).toEqual({ status: 'RETIRED', user: { status: 'DISABLED' } });
  });
});
