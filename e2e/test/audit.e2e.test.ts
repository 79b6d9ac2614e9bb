import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import { startPlatform, type Platform } from './platform.ts';

/** Who did what, from where: identity's audit log read by an auditor through the gateway. */
let platform: Platform;

beforeAll(async () => {
  platform = await startPlatform({}, { services: ['identity', 'personnel'] });
});
afterAll(async () => {
  await platform?.stop();
});

const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('the audit log through the gateway', () => {
  it('shows an auditor a failed login with the address it came from', { timeout: 120_000 }, async () => {
    const admin = await postGraphQL<{ login: { token: string } }>(platform.url, LOGIN, { u: 'admin', p: platform.adminPassword });
    const adminToken = admin.body.data!.login.token;
    const created = await postGraphQL(
      platform.url,
      `mutation ($p: String!) { createUser(input: { username: "auditor.e2e", displayName: "Auditor", agencyCode: "KEMENPANRB", roles: [AUDITOR], password: $p }) { username } }`,
      { p: platform.adminPassword },
      adminToken,
    );
    expect(created.body.errors).toBeUndefined();
    const failed = await postGraphQL(platform.url, LOGIN, { u: 'admin', p: 'not the password' });
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const auditor = await postGraphQL<{ login: { token: string } }>(platform.url, LOGIN, { u: 'auditor.e2e', p: platform.adminPassword });
    const token = auditor.body.data!.login.token;

    const QUERY = '{ auditLog(filter: { action: "auth.login", outcome: FAILED }) { edges { node { service actorName target sourceAddress } } } }';
    type Entries = { auditLog: { edges: { node: Record<string, string | null> }[] } };
    let res = await postGraphQL<Entries>(platform.url, QUERY, {}, token);
    for (let i = 0; i < 150 && res.body.data?.auditLog.edges.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await postGraphQL<Entries>(platform.url, QUERY, {}, token);
    }
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.auditLog.edges.map((e) => e.node)).toEqual([
      { service: 'identity', actorName: 'admin', target: 'user:admin', sourceAddress: expect.stringMatching(/127\.0\.0\.1$/) },
    ]);

    const denied = await postGraphQL(platform.url, QUERY);
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // Another service's refusal lands in the same log, with the address the gateway saw,
    // though personnel's manager never handles the request's address itself.
    const refused = await postGraphQL(
      platform.url,
      `mutation { appointEmployee(input: { nip: "199203152018012001", name: "Ratna Sari", agencyCode: "KEMENPANRB", rank: "III/a",
        positionName: "Analis Kepegawaian Ahli Pertama", positionType: AHLI_PERTAMA }) { nip } }`,
      {},
      token,
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const PERSONNEL = '{ auditLog(filter: { action: "employee.appoint", outcome: DENIED }) { edges { node { service actorName target sourceAddress } } } }';
    let fromPersonnel = await postGraphQL<Entries>(platform.url, PERSONNEL, {}, token);
    for (let i = 0; i < 150 && fromPersonnel.body.data?.auditLog.edges.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      fromPersonnel = await postGraphQL<Entries>(platform.url, PERSONNEL, {}, token);
    }
    expect(fromPersonnel.body.data?.auditLog.edges.map((e) => e.node)).toEqual([
      { service: 'personnel', actorName: 'auditor.e2e', target: 'employee:199203152018012001', sourceAddress: expect.stringMatching(/127\.0\.0\.1$/) },
    ]);
  });
});
