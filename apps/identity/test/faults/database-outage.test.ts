import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, uniqueSuffix, type TcpProxy } from '@simpul/testing';
import { startTestIdentity, type TestIdentity } from '../support/identity.ts';

/**
 * Fault: identity's database connections are cut (a TCP proxy between identity and
 * PostgreSQL drops every connection and refuses new ones), then restored. Expected:
 * meanwhile requests fail with SERVICE_UNAVAILABLE saying the database is unavailable
 * and health says so; afterwards the same instance answers again, with no restart, and
 * its outbox relay publishes again.
 */
let proxy: TcpProxy;
let identity: TestIdentity;

beforeAll(async () => {
  proxy = await startTcpProxy(5432);
  identity = await startTestIdentity({
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${proxy.port}/simpul_identity_test_${uniqueSuffix()}`,
    DATABASE_TIMEOUT_MS: '2000',
  });
});
afterAll(async () => {
  proxy?.restore();
  await identity?.close();
  await proxy?.close();
});

const QUERY = '{ agencies { code } }';

describe('the database connection is cut and restored', () => {
  it('fails requests clearly meanwhile and answers again afterwards, without a restart', { timeout: 120_000 }, async () => {
    const before = await identity.gql(QUERY);
    expect(before.errors).toBeUndefined();
    expect(before.data.agencies.length).toBeGreaterThan(0);

    proxy.cut();
    const during = await identity.gql(QUERY);
    console.info('[observed] during the cut:', JSON.stringify(during.errors));
    expect(during.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(during.errors?.[0]?.message).toMatch(/database/i);
    const health = await identity.service.health();
    expect(health.status).toBe('degraded');
    expect(health.checks.database).not.toBe('ok');

    proxy.restore();
    let after = await identity.gql(QUERY);
    for (let i = 0; i < 50 && after.errors; i++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await identity.gql(QUERY);
    }
    expect(after.errors).toBeUndefined();
    expect(after.data.agencies).toEqual(before.data.agencies);
    expect((await identity.service.health()).status).toBe('ok');

    // The outbox relay kept trying while the database was away: a change made now is published.
    const admin = await identity.login('admin');
    const created = await identity.gql('mutation { createAgency(input: { code: "KOTA-PULIH", name: "Kota Pulih", kind: CITY }) { code } }', {}, admin);
    expect(created.errors).toBeUndefined();
    let unpublished = -1;
    for (let i = 0; i < 300 && unpublished !== 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      unpublished = await identity.service.prisma.outboxEvent.count({ where: { publishedAt: null } });
    }
    expect(unpublished).toBe(0);
  });
});
