import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { createEvent, publishEvent } from '@simpul/bus';
import { AuditRecorded, CLIENT_ADDRESS_HEADER } from '@simpul/contracts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';
import { errorCodes } from '@simpul/testing';

let identity: TestIdentity;
let adminToken: string;
let auditorToken: string;

beforeAll(async () => {
  identity = await startTestIdentity();
  adminToken = await identity.login('admin');
  auditorToken = await identity.login('auditor');
});
afterAll(async () => {
  await identity?.close();
});

interface Entry {
  id: string;
  service: string;
  action: string;
  outcome: string;
  actorName: string | null;
  actorAgencyCode: string | null;
  target: string | null;
  sourceAddress: string | null;
  detail: string;
}
const AUDIT_LOG = `query ($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id service action outcome actorName actorAgencyCode target sourceAddress detail occurredAt } }
  }
}`;

async function auditLog(filter: Record<string, unknown>, first = 50): Promise<Entry[]> {
  const res = await identity.gql(AUDIT_LOG, { filter, first }, auditorToken);
  expect(res.errors).toBeUndefined();
  return res.data.auditLog.edges.map((e: { node: Entry }) => e.node);
}

/** Waits (generously) until the log holds at least `count` entries matching `filter`. */
async function waitForEntries(filter: Record<string, unknown>, count = 1): Promise<Entry[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const entries = await auditLog(filter);
    if (entries.length >= count) return entries;
    if (Date.now() > deadline) throw new Error(`audit log has no ${JSON.stringify(filter)} (${entries.length}/${count})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A request carrying the client address, as the gateway sends it. */
async function gqlFrom(address: string, query: string, variables: Record<string, unknown>, token?: string) {
  const h = natsHeaders();
  h.set(CLIENT_ADDRESS_HEADER, address);
  if (token) h.set('authorization', `Bearer ${token}`);
  const reply = await identity.client.request(identity.service.subjects.graphql('identity'), JSON.stringify({ query, variables }), {
    timeout: 10_000,
    headers: h,
  });
  return reply.json<{ data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] }>();
}

const LOGIN = 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }';

describe('audit log', () => {
  it('records logins, successful and failed, with where they came from', { timeout: 120_000 }, async () => {
    await gqlFrom('203.0.113.7', LOGIN, { u: 'hr.bkn', p: identity.password });
    const failed = await gqlFrom('198.51.100.9', LOGIN, { u: 'hr.bkn', p: 'wrong password!' });
    expect(failed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const ok = await waitForEntries({ action: 'auth.login', actorName: 'hr.bkn', outcome: 'SUCCESS' });
    expect(ok[0]).toMatchObject({ service: 'identity', actorAgencyCode: 'BKN', target: 'user:hr.bkn', sourceAddress: '203.0.113.7' });
    const bad = await waitForEntries({ action: 'auth.login', actorName: 'hr.bkn', outcome: 'FAILED' });
    expect(bad[0]).toMatchObject({ sourceAddress: '198.51.100.9', actorAgencyCode: null });
    expect(bad[0]!.detail).not.toContain('wrong password');
  });

  it('tells a locked account’s login (DENIED) from a wrong password (FAILED) in the log only', { timeout: 120_000 }, async () => {
    for (let i = 1; i <= 5; i++) await identity.gql(LOGIN, { u: 'admin.prov-jatim', p: `wrong password ${i}` });
    const locked = await identity.gql(LOGIN, { u: 'admin.prov-jatim', p: identity.password });
    expect(locked.errors).toEqual([expect.objectContaining({ message: 'Invalid username or password', extensions: { code: 'UNAUTHENTICATED' } })]);
    const denied = await waitForEntries({ action: 'auth.login', actorName: 'admin.prov-jatim', outcome: 'DENIED' });
    expect(denied.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(denied[0]!.detail)).toContain('account locked');
  });

  it('refuses an oversized user name or client id before auditing: a 3,000-character name never reaches the log', { timeout: 120_000 }, async () => {
    const long = 'x'.repeat(3000);
    const login = await identity.gql(LOGIN, { u: long, p: 'any password at all' });
    expect(login.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'username' } });
    const client = await identity.gql('mutation ($id: String!) { issueClientToken(clientId: $id, clientSecret: "secret") { token } }', { id: long });
    expect(client.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'clientId' } });
    expect(
      errorCodes(await identity.gql('mutation ($u: String!) { setUserStatus(username: $u, status: DISABLED) { status } }', { u: long }, adminToken)),
    ).toEqual(['BAD_USER_INPUT']);

    // A failed login after them: once it is in the log, whatever was written before it is too (one consumer, in order).
    await identity.gql(LOGIN, { u: 'marker.after.long', p: 'wrong password!' });
    await waitForEntries({ action: 'auth.login', actorName: 'marker.after.long' });
    const [row] = await identity.service.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "AuditEntry" WHERE "actorName" LIKE 'xxxxxxxx%' OR target LIKE '%xxxxxxxx%'`,
    );
    expect(row!.n).toBe(0);
  });

  it('records permission denials, role changes, API clients and key rotation', { timeout: 120_000 }, async () => {
    const employee = await identity.login('pegawai.kominfo');
    const denied = await identity.gql('{ apiClients(agencyCode: "KOMINFO") { clientId } }', {}, employee);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);

    const roles = await identity.gql('mutation { setUserRoles(username: "hr.bkn", roles: [HR_OFFICER, EMPLOYEE]) { roles } }', {}, adminToken);
    expect(roles.errors).toBeUndefined();
    const registered = await identity.gql(
      'mutation { registerApiClient(input: { agencyCode: "KOMINFO", name: "SIMPEG Kominfo" }) { clientId } }',
      {},
      adminToken,
    );
    const clientId = registered.data.registerApiClient.clientId as string;
    await identity.gql('mutation ($id: String!) { revokeApiClient(clientId: $id) { revokedAt } }', { id: clientId }, adminToken);
    const rotated = await identity.gql('mutation { rotateSigningKey { kid } }', {}, adminToken);
    expect(rotated.errors).toBeUndefined();

    const [denial] = await waitForEntries({ action: 'permission.denied', actorName: 'pegawai.kominfo' });
    expect(denial).toMatchObject({ outcome: 'DENIED', actorAgencyCode: 'KOMINFO', target: 'field:apiClients' });
    const [roleChange] = await waitForEntries({ action: 'user.roles.set', target: 'user:hr.bkn' });
    expect(roleChange).toMatchObject({ outcome: 'SUCCESS', actorName: 'admin' });
    expect(JSON.parse(roleChange!.detail)).toEqual({ roles: ['HR_OFFICER', 'EMPLOYEE'] });
    await waitForEntries({ action: 'api-client.register', target: `apiClient:${clientId}` });
    await waitForEntries({ action: 'api-client.revoke', target: `apiClient:${clientId}` });
    const [rotation] = await waitForEntries({ action: 'signing-key.rotate' });
    expect(rotation!.target).toBe(`signingKey:${rotated.data.rotateSigningKey.kid}`);
  });

  it('keeps the entries other services publish, once each, however often they arrive', { timeout: 120_000 }, async () => {
    const signed = {
      action: 'document.sign',
      outcome: 'SUCCESS',
      actorId: 'u-1',
      actorName: '198503302010011002',
      actorAgencyCode: 'KAB-BANYUWANGI',
      target: 'document:abc',
      sourceAddress: '192.0.2.1',
      detail: { number: '001/SETDA/2026' },
    } as const;
    const event = createEvent(identity.service.subjects, AuditRecorded.documents, signed);
    const js = jetstream(identity.client);
    await publishEvent(js, event);
    // The same event again under another message id: a redelivery the stream cannot drop.
    await js.publish(event.subject, JSON.stringify(event.payload), { msgID: `${event.id}-again` });
    const [entry] = await waitForEntries({ service: 'documents', action: 'document.sign' });
    expect(entry).toMatchObject({ id: event.id, target: 'document:abc', sourceAddress: '192.0.2.1', actorAgencyCode: 'KAB-BANYUWANGI' });
    // A later entry proves the duplicate was handled before it (one consumer, in order).
    await publishEvent(js, createEvent(identity.service.subjects, AuditRecorded.documents, { ...signed, target: 'document:later' }));
    await waitForEntries({ service: 'documents', target: 'document:later' });
    expect(await auditLog({ service: 'documents', action: 'document.sign', target: 'document:abc' })).toHaveLength(1);
  });

  it('cannot be changed or deleted, not even by the service’s own database user', { timeout: 120_000 }, async () => {
    await waitForEntries({ action: 'auth.login' });
    await expect(identity.service.prisma.$executeRawUnsafe('UPDATE "AuditEntry" SET action = $1', 'forged')).rejects.toThrow(/append-only/);
    await expect(identity.service.prisma.$executeRawUnsafe('DELETE FROM "AuditEntry"')).rejects.toThrow(/append-only/);
    await expect(identity.service.prisma.$executeRawUnsafe('TRUNCATE "AuditEntry"')).rejects.toThrow(/append-only/);
    expect(await auditLog({ action: 'forged' })).toEqual([]);
  });

  it('is for auditors and national administrators only, pages newest first, and checks its filter', { timeout: 120_000 }, async () => {
    for (const user of ['pegawai.kominfo', 'admin.kominfo']) {
      const res = await identity.gql(AUDIT_LOG, {}, await identity.login(user));
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await identity.gql(AUDIT_LOG, {}))).toEqual(['UNAUTHENTICATED']);
    const admin = await identity.gql(AUDIT_LOG, { first: 2 }, adminToken);
    expect(admin.errors).toBeUndefined();
    const page1 = admin.data.auditLog;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await identity.gql(AUDIT_LOG, { first: 2, after: page1.pageInfo.endCursor }, adminToken)).data.auditLog;
    const times = [...page1.edges, ...page2.edges].map((e: { node: { occurredAt: string } }) => e.node.occurredAt);
    expect(times).toEqual([...times].sort().reverse());

    const bad = await identity.gql(AUDIT_LOG, { filter: { service: 'nope' } }, auditorToken);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.service' } });
    const badDate = await identity.gql(AUDIT_LOG, { filter: { from: 'yesterday' } }, auditorToken);
    expect(badDate.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'filter.from' } });
  });
});
