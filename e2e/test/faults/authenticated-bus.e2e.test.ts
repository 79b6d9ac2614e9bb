import { execFile } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { nkeyAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { subjectsFor } from '@simpul/contracts';
import { postGraphQL, startNatsServer, uniqueNamespace, type TestNatsServer } from '@simpul/testing';
import { presentServices, startPlatform, type Platform } from '../platform.ts';

/**
 * The platform on an authenticating nats-server, as `npm start` runs it: every process
 * connects as its own NKey user with only its own permissions, and token signing keys
 * are pinned by the root key. A rogue client (no credentials, or a stolen registry seed,
 * or an answer on the JWKS subject) gets nowhere.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const namespace = uniqueNamespace();
const subjects = subjectsFor(namespace);
let dir: string;
let server: TestNatsServer;
let platform: Platform;
let settings: Record<string, string>;
const connections: NatsConnection[] = [];

async function connectAs(role: string | null): Promise<NatsConnection> {
  const seed = role ? (await readFile(join(settings.SIMPUL_PLATFORM_KEYS!, `${role}.nk`), 'utf8')).trim() : null;
  const nc = await connect({
    servers: server.url,
    maxReconnectAttempts: 0,
    ...(seed ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)), inboxPrefix: `_INBOX.${namespace}.${role}` } : {}),
  });
  connections.push(nc);
  return nc;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simpul-auth-bus-'));
  // What infra.sh --platform runs: seeds, the authorization file, the token root key.
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `${root}packages/bus/src/cli/platform-credentials.ts`, dir], {
    cwd: root,
    env: { ...process.env, SIMPUL_NAMESPACE: namespace },
  });
  settings = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
        return [name, JSON.parse(value) as string];
      }),
  );
  await writeFile(join(dir, 'server.conf'), 'max_payload: 8MB\ninclude ./authorization.conf\n');
  server = await startNatsServer({ configFile: join(dir, 'server.conf') });
  const keyFile = (role: string) => join(settings.SIMPUL_PLATFORM_KEYS!, `${role}.nk`);
  platform = await startPlatform(
    { NATS_URL: server.url, SIMPUL_NAMESPACE: namespace, TOKEN_ROOT_PUBLIC_KEY: settings.TOKEN_ROOT_PUBLIC_KEY!, NATS_NKEY_SEED_FILE: keyFile('gateway') },
    {
      services: presentServices(),
      serviceEnv: (service) => ({
        NATS_NKEY_SEED_FILE: keyFile(service),
        ...(service === 'identity' ? { TOKEN_ROOT_KEY_FILE: settings.TOKEN_ROOT_KEY_FILE! } : {}),
      }),
    },
  );
}, 240_000);
afterAll(async () => {
  await Promise.allSettled(connections.map((c) => c.close()));
  await platform?.stop();
  await server?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function login(): Promise<string> {
  const res = await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: platform.adminPassword,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.login.token;
}

describe('the platform on an authenticating nats-server', () => {
  it('works with each process as its own user: login, a query across services, an event between them', { timeout: 120_000 }, async () => {
    const token = await login();
    const me = await postGraphQL(platform.url, '{ me { username agency { code name } } }', {}, token);
    expect(me.body).toEqual({ data: { me: { username: 'admin', agency: { code: 'KEMENPANRB', name: expect.any(String) } } } });
    const created = await postGraphQL(
      platform.url,
      'mutation { createAgency(input: { code: "KOTA-AUTH", name: "Kota Auth", kind: CITY }) { code } }',
      {},
      token,
    );
    expect(created.body.errors).toBeUndefined();
    // identity published agency.created on its own subject; the stream has it.
    const operator = await connectAs('operator');
    const jsm = await jetstreamManager(operator);
    const last = await jsm.streams.getMessage(subjects.eventStream, { last_by_subj: subjects.event('identity', 'agency', 'created') });
    expect(last?.json<{ data: { code: string } }>().data.code).toBe('KOTA-AUTH');
    const mixed = await postGraphQL(platform.url, '{ me { username } employees(agencyCode: "KOTA-AUTH", first: 1) { totalCount } }', {}, token);
    expect(mixed.body.errors).toBeUndefined();
    // Nothing any process does needs more than its own permissions.
    for (const p of [...platform.services.values(), platform.gateway]) expect(p.output()).not.toMatch(/Permissions Violation|Authorization Violation/i);
  });

  it('refuses a client without credentials', { timeout: 30_000 }, async () => {
    await expect(connect({ servers: server.url, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization/i);
  });

  it('refuses a stolen registry seed when it answers identity’s JWKS or publishes identity’s events', { timeout: 60_000 }, async () => {
    const rogue = await connectAs('registry');
    const jwks = rogue.subscribe(subjects.jwks);
    expect(String(await jwks.closed)).toMatch(/Permissions Violation for Subscription/i);

    const errors: string[] = [];
    void (async () => {
      for await (const s of rogue.status()) if (s.type === 'error') errors.push(String(s.error));
    })();
    const forged = JSON.stringify({
      id: crypto.randomUUID(),
      type: 'identity.agency.created',
      version: 1,
      occurredAt: new Date().toISOString(),
      source: 'identity',
      data: { code: 'KOTA-ROGUE', name: 'Rogue', kind: 'CITY', parentCode: null },
    });
    rogue.publish(subjects.event('identity', 'agency', 'created'), forged);
    await rogue.flush();
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(errors.join('\n')).toMatch(/Permissions Violation for Publish/i);
    const jsm = await jetstreamManager(await connectAs('operator'));
    const last = await jsm.streams.getMessage(subjects.eventStream, { last_by_subj: subjects.event('identity', 'agency', 'created') });
    expect(last?.json<{ data: { code: string } }>().data.code).not.toBe('KOTA-ROGUE');
  });

  it('refuses a token signed with a key identity’s root key did not endorse, even when a rogue answers the JWKS subject', { timeout: 60_000 }, async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = 'rogue-key';
    // A client allowed everything (what anyone is on an open server) answers the JWKS subject with its own key.
    const rogue = await connectAs('operator');
    const rogueKey = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    rogue.subscribe(subjects.jwks, { callback: (_e, msg) => void msg.respond(JSON.stringify({ keys: [rogueKey] })) });
    await rogue.flush();
    const forged = await new SignJWT({ kind: 'user', username: 'ghost', agency: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject('no-such-user')
      .setIssuer('simpul-identity')
      .setAudience('simpul')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    const res = await postGraphQL(platform.url, '{ me { username } }', {}, forged);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // What the gateway shows outside has only endorsed keys (none, when the rogue's answer came first).
    const published = (await (await fetch(`${platform.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; simpul_endorsement?: string }[] };
    expect(published.keys.every((k) => k.kid !== kid && typeof k.simpul_endorsement === 'string')).toBe(true);
    // Identity's own tokens still pass.
    const ok = await postGraphQL(platform.url, '{ me { username } }', {}, await login());
    expect(ok.body).toEqual({ data: { me: { username: 'admin' } } });
  });
});
