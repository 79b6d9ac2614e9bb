/**
 * Agency events from HTTP ingestion to delivery: an agency system POSTs events to the
 * gateway (`POST /events/<type>`, validated against the declared schema by the registry),
 * one granted client pulls them over NATS from its consumer, another receives them as
 * signed webhooks. Prints events per second and the latency from the POST to each
 * delivery (p50, p99), for the whole pipeline on one machine.
 *
 *   npm run bench:agency-events -w @simpul/bench     (BENCH_EVENTS=2000 BENCH_CONCURRENCY=16)
 *
 * Needs PostgreSQL and NATS as for the tests (infra/scripts/infra.sh).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import {
  createTestDatabase,
  freePort,
  postGraphQL,
  removeNamespaceStreams,
  startProcess,
  testNatsUrl,
  uniqueNamespace,
  type StartedProcess,
} from '@simpul/testing';
import { percentile } from './lib/stats.ts';
import { GATEWAY_UNDER_LOAD } from './lib/gateway-settings.ts';

const total = Number(process.env.BENCH_EVENTS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const root = fileURLToPath(new URL('..', import.meta.url));
const processes: StartedProcess[] = [];
const databases = [await createTestDatabase('identity_bench'), await createTestDatabase('registry_bench')];
const namespace = uniqueNamespace();
const adminPassword = randomBytes(16).toString('base64url');
const env = {
  ...process.env,
  LOG_LEVEL: 'warn',
  NATS_URL: testNatsUrl(),
  SIMPUL_NAMESPACE: namespace,
  SIMPUL_ADMIN_PASSWORD: adminPassword,
  SIMPUL_DEMO: 'false',
  ...GATEWAY_UNDER_LOAD,
};

function start(name: string, script: string, ready: RegExp, extraEnv: Record<string, string>) {
  const p = startProcess(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...env, LOG_LEVEL: 'info', ...extraEnv } });
  processes.push(p);
  return p.waitFor(ready, 120_000).catch((error: Error) => {
    throw new Error(`${name} did not start: ${error.message}`);
  });
}

const sentAt = new Map<string, number>();
const natsLatency: number[] = [];
const webhookLatency: number[] = [];
let webhookSignatureFailures = 0;

try {
  const port = await freePort();
  console.log('starting identity, registry and the gateway …');
  await start('identity', `${root}apps/identity/src/main.ts`, /identity started/, { DATABASE_URL: databases[0]!.url });
  await start('registry', `${root}apps/registry/src/main.ts`, /registry started/, { DATABASE_URL: databases[1]!.url });
  await start('gateway', `${root}apps/gateway/src/main.ts`, /gateway listening/, { GATEWAY_PORT: String(port) });
  const base = `http://127.0.0.1:${port}`;
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await postGraphQL<Record<string, any>>(`${base}/graphql`, query, variables, token); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data!;
  };
  const admin = (await gql('mutation($p: String!) { login(username: "admin", password: $p) { token } }', { p: adminPassword })).login.token as string;
  await gql('mutation { createAgency(input: { code: "KAB-BENCH", name: "Kabupaten Bench", kind: REGENCY }) { code } }', {}, admin);
  await gql('mutation { createAgency(input: { code: "PROV-BENCH", name: "Provinsi Bench", kind: PROVINCE }) { code } }', {}, admin);
  const client = async (agencyCode: string) => {
    const { clientId, clientSecret } = (
      await gql('mutation ($a: String!) { registerApiClient(input: { agencyCode: $a, name: "bench" }) { clientId clientSecret } }', { a: agencyCode }, admin)
    ).registerApiClient;
    const token = (
      await gql('mutation ($i: String!, $s: String!) { issueClientToken(clientId: $i, clientSecret: $s) { token } }', { i: clientId, s: clientSecret })
    ).issueClientToken.token as string;
    return { clientId: clientId as string, token };
  };
  const publisher = await client('KAB-BENCH');
  const puller = await client('PROV-BENCH');
  const hooked = await client('PROV-BENCH');
  await gql(
    'mutation ($s: String!) { declareEventType(input: { agencyCode: "KAB-BENCH", name: "pegawai.mutasi", version: 1, description: "Seorang pegawai dipindahkan (bench).", schema: $s }) { id } }',
    {
      s: JSON.stringify({
        type: 'object',
        required: ['nip', 'unitCode'],
        properties: { nip: { type: 'string', pattern: '^[0-9]{18}$' }, unitCode: { type: 'string' } },
      }),
    },
    admin,
  );
  for (const c of [puller, hooked])
    await gql(
      'mutation ($c: String!) { grantEventAccess(agencyCode: "KAB-BENCH", eventType: "pegawai.mutasi", clientId: $c) { id } }',
      { c: c.clientId },
      admin,
    );

  // The webhook receiver checks every signature, as an agency's system must.
  let secret = '';
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = `v1=${createHmac('sha256', secret)
        .update(`${String(req.headers['simpul-timestamp'])}.${body}`)
        .digest('hex')}`;
      if (req.headers['simpul-signature'] !== expected) webhookSignatureFailures++;
      const id = String(req.headers['simpul-event-id']);
      const at = sentAt.get(id);
      if (at !== undefined) webhookLatency.push(performance.now() - at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  secret = (
    await gql('mutation ($c: String!, $u: String!) { setEventWebhook(clientId: $c, url: $u) { secret } }', { c: hooked.clientId, u: hookUrl }, hooked.token)
  ).setEventWebhook.secret;

  const nc = await connect({ servers: testNatsUrl(), name: 'bench-puller' });
  const consumer = await jetstream(nc).consumers.get(`${namespace.toUpperCase().replace(/-/g, '_')}_DELIVERIES`, `deliver-${puller.clientId}`);
  const messages = await consumer.consume({ max_messages: 256 });
  const pulling = (async () => {
    for await (const m of messages) {
      const at = sentAt.get(m.json<{ id: string }>().id);
      if (at !== undefined) natsLatency.push(performance.now() - at);
      m.ack();
      if (natsLatency.length >= total) break;
    }
  })();

  console.log(`publishing ${total} events over HTTP, ${concurrency} in flight …`);
  const ingestLatency: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const id = `bench-${next++}`;
        const t0 = performance.now();
        sentAt.set(id, t0);
        const res = await fetch(`${base}/events/pegawai.mutasi`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${publisher.token}` },
          body: JSON.stringify({ id, data: { nip: '198503302010011002', unitCode: 'BKPSDM' } }),
        });
        await res.arrayBuffer();
        if (res.status !== 202) throw new Error(`event ${id}: HTTP ${res.status}`);
        ingestLatency.push(performance.now() - t0);
      }
    }),
  );
  const ingested = performance.now();
  const deadline = Date.now() + 300_000;
  while ((natsLatency.length < total || webhookLatency.length < total) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const delivered = performance.now();
  await messages.close();
  await pulling;
  await nc.close();
  receiver.close();

  const row = (name: string, values: number[], seconds: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `| ${name} | ${values.length} | ${(values.length / seconds).toFixed(0)} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} |`;
  };
  console.log('\n| stage | events | events/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|');
  console.log(row('HTTP ingestion (202)', ingestLatency, (ingested - started) / 1000));
  console.log(row('POST → NATS pull', natsLatency, (delivered - started) / 1000));
  console.log(row('POST → webhook', webhookLatency, (delivered - started) / 1000));
  console.log(`\nwebhook signatures that failed to verify: ${webhookSignatureFailures}`);
} finally {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all(databases.map((d) => d.drop()));
  await removeNamespaceStreams(namespace);
}
