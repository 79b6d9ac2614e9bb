import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { nkeyAuthenticator, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { renderNatsAuthorization, writeNatsAuthorization } from '@simpul/bus';
import { fileURLToPath } from 'node:url';
import { startNatsServer, startProcess, type TestNatsServer } from '@simpul/testing';
import { subjectsFor } from '@simpul/contracts';
import { startTestIdentity, type TestIdentity } from './support/identity.ts';

/**
 * Agency systems on the bus, against a nats-server of the test's own that runs with
 * the authorization identity writes: the platform user (password) plus one NKey user
 * per API client, reloaded when a client is registered or revoked.
 */
let dir: string;
let server: TestNatsServer;
let identity: TestIdentity;
let adminToken: string;
const agencyConnections: NatsConnection[] = [];

interface Credentials {
  clientId: string;
  nats: { seed: string; publicKey: string; publish: string[]; subscribe: string[]; inboxPrefix: string };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simpul-agency-bus-'));
  // nats-server parses the variable's value as configuration: letters first, then letters and digits.
  const password = `p${randomBytes(12).toString('hex')}`;
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const authorization = join(dir, 'authorization.conf');
  const pidFile = join(dir, 'nats.pid');
  // The server's file includes the one identity keeps; at first only the platform user.
  await writeFile(authorization, renderNatsAuthorization({ subjects: subjectsFor(namespace), users: [] }));
  // JetStream is configured in the file, store directory included: a reload keeps it on
  // (enabled by the -js flag alone, a reload would switch it off).
  await writeFile(join(dir, 'server.conf'), `jetstream { store_dir: ${JSON.stringify(join(dir, 'store'))} }\ninclude ./authorization.conf\n`);
  server = await startNatsServer({ jetstream: false, configFile: join(dir, 'server.conf'), env: { SIMPUL_NATS_PASSWORD: password }, pidFile });
  identity = await startTestIdentity({
    NATS_URL: `nats://simpul:${password}@127.0.0.1:${server.port}`,
    SIMPUL_NAMESPACE: namespace,
    NATS_AUTHORIZATION_FILE: authorization,
    NATS_SERVER_PID_FILE: pidFile,
  });
  adminToken = await identity.login('admin');
});
afterAll(async () => {
  await Promise.allSettled(agencyConnections.map((c) => c.close()));
  await identity?.close();
  await server?.destroy();
  await rm(dir, { recursive: true, force: true });
});

async function register(agencyCode: string): Promise<Credentials> {
  const res = await identity.gql(
    `mutation ($a: String!) { registerApiClient(input: { agencyCode: $a, name: "SIMPEG" }) {
      clientId nats { seed publicKey publish subscribe inboxPrefix } } }`,
    { a: agencyCode },
    adminToken,
  );
  expect(res.errors).toBeUndefined();
  return res.data.registerApiClient;
}

/** Connects as the agency system would; retries while the server is still reloading its configuration. */
async function connectAgency(credentials: Credentials): Promise<NatsConnection> {
  let last: unknown;
  for (let i = 0; i < 50; i++) {
    try {
      const nc = await connect({
        servers: `127.0.0.1:${server.port}`,
        authenticator: nkeyAuthenticator(new TextEncoder().encode(credentials.nats.seed)),
        inboxPrefix: credentials.nats.inboxPrefix,
        maxReconnectAttempts: 0,
      });
      agencyConnections.push(nc);
      return nc;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

describe('agency systems on the bus', () => {
  it('issues NKey credentials limited to the agency’s own subjects when an API client is registered', { timeout: 180_000 }, async () => {
    const kominfo = await register('KOMINFO');
    const ns = identity.service.subjects.namespace;
    expect(kominfo.nats.seed).toMatch(/^SU[A-Z0-9]+$/);
    expect(kominfo.nats.publish).toEqual([`${ns}.ext.KOMINFO.>`]);
    expect(kominfo.nats.subscribe).toContain(`${ns}.ext.KOMINFO.>`);
    const listed = await identity.gql('{ apiClients(agencyCode: "KOMINFO") { clientId natsPublicKey } }', {}, adminToken);
    expect(listed.data.apiClients).toContainEqual({ clientId: kominfo.clientId, natsPublicKey: kominfo.nats.publicKey });
  });

  it('lets agency A publish as A only, read only what it is entitled to, and call no service', { timeout: 180_000 }, async () => {
    const ns = identity.service.subjects.namespace;
    const a = await connectAgency(await register('KOMINFO'));
    const platform = identity.client;

    // What reaches the platform from the agencies' subjects.
    const seen: string[] = [];
    const sub = platform.subscribe(`${ns}.ext.>`, { callback: (_e, m) => void seen.push(m.subject) });
    await platform.flush();

    // Publishing as another agency is refused; a message published after it arrives, so
    // the refused one would have arrived before it (one connection keeps its order).
    a.publish(`${ns}.ext.BKN.sppd.created`, 'forged');
    a.publish(`${ns}.ext.KOMINFO.sppd.created`, 'own');
    await a.flush();
    for (let i = 0; i < 100 && !seen.includes(`${ns}.ext.KOMINFO.sppd.created`); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([`${ns}.ext.KOMINFO.sppd.created`]);

    // Its own events are kept: JetStream acknowledges them (the ack comes to its inbox).
    const ack = await jetstream(a).publish(`${ns}.ext.KOMINFO.sppd.signed`, JSON.stringify({ id: 1 }));
    expect(ack.stream).toBe(identity.service.subjects.externalStream);

    // It reads the platform's public agency events.
    const agencyEvents = a.subscribe(`${ns}.evt.identity.agency.>`, { max: 1 });
    await a.flush();
    const created = await identity.gql(
      'mutation { createAgency(input: { code: "KAB-AGENCYBUS", name: "Kabupaten Uji", kind: REGENCY }) { code } }',
      {},
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    for await (const m of agencyEvents) expect(m.json<{ data: { code: string } }>().data.code).toBe('KAB-AGENCYBUS');

    // Reading internal subjects is refused.
    const internal = a.subscribe(`${ns}.evt.>`);
    const closed = await internal.closed;
    expect(String(closed)).toMatch(/Permissions Violation/i);

    // Calling a service's GraphQL subject directly is refused before any service sees it.
    const handledBefore = identity.service.responder.handled;
    await expect(a.request(identity.service.subjects.graphql('identity'), JSON.stringify({ query: '{ health }' }), { timeout: 5_000 })).rejects.toThrow(
      /Permissions Violation for Publish/i,
    );
    expect(identity.service.responder.handled).toBe(handledBefore);
    sub.unsubscribe();
  });

  it('runs the README’s example agency system as written', { timeout: 180_000 }, async () => {
    const creds = await register('KAB-BANYUWANGI');
    const example = fileURLToPath(new URL('../../../examples/agency-system/publish.mjs', import.meta.url));
    const env = {
      ...process.env,
      NATS_URL: `nats://127.0.0.1:${server.port}`,
      AGENCY_CODE: 'KAB-BANYUWANGI',
      SIMPUL_NATS_SEED: creds.nats.seed,
      SIMPUL_NAMESPACE: identity.service.subjects.namespace,
    };
    let run = startProcess(process.execPath, [example], { env });
    // The server may still be reloading the new user: try again a few times.
    for (let i = 0; i < 20 && (await run.exited) !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = startProcess(process.execPath, [example], { env });
    }
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(new RegExp(`stored as #\\d+ in ${identity.service.subjects.externalStream}`));

    // With another namespace than the platform's, it says what to check, without a stack trace.
    const wrong = startProcess(process.execPath, [example], { env: { ...env, SIMPUL_NAMESPACE: 'simpul' } });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toMatch(/Are AGENCY_CODE and SIMPUL_NAMESPACE \(simpul\) those of the credentials\?/);
    expect(wrong.output()).not.toMatch(/^\s+at /m);
  });

  it('refuses an agency code with "." that would nest one agency’s subjects under another’s', { timeout: 60_000 }, async () => {
    // KOMINFO.PUSDATIN's subjects would fall under KOMINFO's `<ns>.ext.KOMINFO.>` permissions.
    const created = await identity.gql(
      'mutation { createAgency(input: { code: "KOMINFO.PUSDATIN", name: "Pusdatin", kind: AGENCY }) { code } }',
      {},
      adminToken,
    );
    expect(created.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/not a valid agency code \(2-32 characters of A-Z 0-9 -\)/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const client = await identity.gql('mutation { registerApiClient(input: { agencyCode: "KOMINFO.PUSDATIN", name: "SIMPEG" }) { clientId } }', {}, adminToken);
    expect(client.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The authorization writer never writes such a user, whatever reaches it.
    const subjects = identity.service.subjects;
    expect(() => renderNatsAuthorization({ subjects, users: [{ agencyCode: 'KOMINFO.PUSDATIN', publicKey: 'UABC', clientId: 'sc_x' }] })).toThrow(
      /Invalid agency code/,
    );
  });

  it('writes the authorization before nats-server runs (no pid file yet) without failing', async () => {
    // infra/nats/README.md's order: the file first, then the server, which writes its pid file.
    const file = join(dir, 'first.conf');
    expect(await writeNatsAuthorization(file, 'authorization { users = [] }\n', join(dir, 'not-yet.pid'))).toBe(false);
    expect(await readFile(file, 'utf8')).toContain('authorization');
  });

  it('cuts a revoked client off', { timeout: 180_000 }, async () => {
    const creds = await register('BKN');
    const nc = await connectAgency(creds);
    const closed = nc.closed();
    await identity.gql('mutation ($id: String!) { revokeApiClient(clientId: $id) { revokedAt } }', { id: creds.clientId }, adminToken);
    expect(String(await closed)).toMatch(/Authorization|Authentication/i);
    await expect(
      connect({ servers: `127.0.0.1:${server.port}`, authenticator: nkeyAuthenticator(new TextEncoder().encode(creds.nats.seed)), maxReconnectAttempts: 0 }),
    ).rejects.toThrow(/Authorization/i);
  });
});
