import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startNatsServer, startTcpProxy, type TcpProxy, type TestNatsServer } from '@simpul/testing';
import { startPlatform, type Platform } from '../platform.ts';

/**
 * Readiness follows the dependencies, with real processes (identity and the gateway) on
 * a nats-server of the test's own and identity's database behind a TCP proxy:
 *  1. identity's database connections are cut, then restored;
 *  2. the nats-server stops, then starts again (same port, same store).
 * Expected: GET /ready says what is missing (503) and recovers (200) without restarts.
 */
let nats: TestNatsServer;
let proxy: TcpProxy;
let platform: Platform;

interface Readiness {
  ready: boolean;
  nats: string;
  services: Record<string, string>;
}

beforeAll(async () => {
  nats = await startNatsServer({ jetstream: true });
  proxy = await startTcpProxy(5432);
  platform = await startPlatform(
    { NATS_URL: nats.url, SERVICE_TIMEOUT_MS: '3000', DATABASE_TIMEOUT_MS: '2000' },
    { services: ['identity'], serviceEnv: (_service, url) => ({ DATABASE_URL: url.replace(/:5432\//, `:${proxy.port}/`) }) },
  );
});
afterAll(async () => {
  proxy?.restore();
  await nats?.start().catch(() => undefined);
  await platform?.stop();
  await proxy?.close();
  await nats?.destroy();
});

async function ready(): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`${platform.url}/ready`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

async function waitForReady(status: number, what: string, also: (r: Readiness) => boolean = () => true): Promise<Readiness> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const r = await ready();
    if (r.status === status && also(r.body)) return r.body;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe('GET /ready and the services’ health follow their dependencies', () => {
  it('reports identity’s database going away and coming back', { timeout: 180_000 }, async () => {
    expect(await ready()).toEqual({ status: 200, body: { ready: true, nats: 'connected', services: { identity: 'ok' } } });

    proxy.cut();
    const degraded = await waitForReady(503, 'identity degraded', (r) => r.services.identity?.startsWith('degraded') ?? false);
    console.info('[observed] /ready with the database cut:', JSON.stringify(degraded));
    expect(degraded.services.identity).toMatch(/^degraded: .*database/);
    const query = await postGraphQL(platform.url, '{ agencies { code } }');
    expect(query.body.errors?.[0]).toMatchObject({ message: 'The database is unavailable; try again shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } });

    proxy.restore();
    await waitForReady(200, 'ready after the database came back');
    const after = await postGraphQL<{ agencies: { code: string }[] }>(platform.url, '{ agencies { code } }');
    expect(after.body.errors).toBeUndefined();
  });

  it('reports NATS going away and coming back', { timeout: 180_000 }, async () => {
    await nats.stop();
    // Until the gateway's client notices, /ready may say identity is not answering; then it names NATS.
    const down = await waitForReady(503, 'NATS reported down', (r) => r.nats !== 'connected');
    console.info('[observed] /ready with NATS stopped:', JSON.stringify(down));
    expect(down).toMatchObject({ ready: false, nats: 'reconnecting' });

    await nats.start();
    await waitForReady(200, 'ready after NATS came back');
    const after = await postGraphQL<{ agencies: { code: string }[] }>(platform.url, '{ agencies { code } }');
    expect(after.body.errors).toBeUndefined();
  });
});
