/**
 * The `me` query through the gateway, against two baselines measured in the same run:
 *  - NATS echo: a bare request/reply of the same payload (the transport floor);
 *  - direct yoga: identity's own schema served by one graphql-yoga process, no NATS hop.
 * plus the gateway with its single-service route switched off (pure stitching), to
 * show what that route buys.
 *
 *   npm run bench -w @simpul/bench            (BENCH_SECONDS=10 BENCH_CONNECTIONS=32)
 *
 * Needs PostgreSQL and NATS as for the tests (infra/scripts/infra.sh).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import {
  createTestDatabase,
  freePort,
  removeNamespaceStreams,
  postGraphQL,
  startProcess,
  testNatsUrl,
  uniqueNamespace,
  type StartedProcess,
} from '@simpul/testing';
import { httpLoad } from './lib/http-load.ts';
import { natsLoad } from './lib/nats-load.ts';
import { formatTable, ratio, type LoadResult } from './lib/stats.ts';
import { GATEWAY_UNDER_LOAD } from './lib/gateway-settings.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * Two operations: `me` as a client asks it (identity reads the user and their agency from
 * PostgreSQL), and `health`, which touches no database, so what remains is the cost of
 * the path itself: HTTP, the gateway, NATS, the service's GraphQL execution.
 */
const SCENARIOS = [
  ['me', JSON.stringify({ query: '{ me { username displayName roles agency { code name } } }' })],
  ['health', JSON.stringify({ query: '{ health }' })],
] as const;
const ME = SCENARIOS[0][1];

const processes: StartedProcess[] = [];
const database = await createTestDatabase('identity_bench');
const namespace = uniqueNamespace();
const adminPassword = randomBytes(16).toString('base64url');
const env = {
  ...process.env,
  LOG_LEVEL: 'warn',
  NATS_URL: testNatsUrl(),
  SIMPUL_NAMESPACE: namespace,
  SIMPUL_ADMIN_PASSWORD: adminPassword,
  DATABASE_URL: database.url,
  ...GATEWAY_UNDER_LOAD,
};

function start(name: string, script: string, args: string[], ready: RegExp, extraEnv: Record<string, string> = {}) {
  const p = startProcess(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...env, ...extraEnv } });
  processes.push(p);
  return p.waitFor(ready, 60_000).catch((error: Error) => {
    throw new Error(`${name} did not start: ${error.message}`);
  });
}

try {
  const [gatewayPort, stitchedPort, directPort] = [await freePort(), await freePort(), await freePort()];
  console.log('starting identity, two gateways, the direct yoga baseline and the NATS echo …');
  await start('identity', `${root}apps/identity/src/main.ts`, [], /identity started/, { LOG_LEVEL: 'info' });
  await Promise.all([
    start('gateway', `${root}apps/gateway/src/main.ts`, [], /gateway listening/, { GATEWAY_PORT: String(gatewayPort), LOG_LEVEL: 'info' }),
    start('gateway (stitching only)', `${root}apps/gateway/src/main.ts`, [], /gateway listening/, {
      GATEWAY_PORT: String(stitchedPort),
      SINGLE_SERVICE_ROUTE: 'false',
      LOG_LEVEL: 'info',
    }),
    start('direct yoga', `${root}bench/servers/direct-yoga.ts`, [String(directPort)], /direct yoga ready/),
    start('nats echo', `${root}bench/servers/nats-echo.ts`, [testNatsUrl(), `${namespace}.bench.echo`], /echo ready/),
  ]);

  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const login = await postGraphQL<{ login: { token: string } }>(gatewayUrl, 'mutation($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: adminPassword,
  });
  const token = login.body.data?.login.token;
  if (!token) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const headers = { authorization: `Bearer ${token}` };

  // Same answer from every GraphQL target before measuring anything.
  const answers = await Promise.all(
    [gatewayPort, stitchedPort, directPort].map(async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: ME });
      return JSON.stringify(await res.json());
    }),
  );
  if (new Set(answers).size !== 1 || !answers[0]!.includes('"username":"admin"')) throw new Error(`targets disagree: ${answers.join('\n')}`);

  const nc = await connect({ servers: testNatsUrl(), name: 'bench-client' });
  type Target = [string, (seconds: number) => Promise<LoadResult>];
  const graphqlTargets = (scenario: string, body: string): Target[] =>
    (
      [
        ['direct yoga', directPort],
        ['gateway', gatewayPort],
        ['gateway (stitching only)', stitchedPort],
      ] as const
    ).map(([name, port]): Target => [
      `${scenario}: ${name}`,
      (s) => httpLoad({ name: `${scenario}: ${name}`, url: `http://127.0.0.1:${port}/graphql`, body, headers, connections, seconds: s }),
    ]);
  const targets: Target[] = [
    [
      'nats echo',
      (s) => natsLoad({ name: 'nats echo', nc, subject: `${namespace}.bench.echo`, payload: new TextEncoder().encode(ME), inFlight: connections, seconds: s }),
    ],
    ...SCENARIOS.flatMap(([scenario, body]) => graphqlTargets(scenario, body)),
  ];

  // Warm every target up (JIT, caches, pools) before any measurement.
  for (const [name, run] of targets) {
    process.stdout.write(`warming up ${name} … `);
    await run(2);
    console.log('done');
  }
  const results = new Map<string, LoadResult>();
  for (const [name, run] of targets) {
    process.stdout.write(`measuring ${name} (${seconds} s, ${connections} in flight) … `);
    results.set(name, await run(seconds));
    console.log('done');
  }
  await nc.close();

  console.log(`\n${formatTable([...results.values()])}\n`);
  const r = (name: string) => results.get(name)!;
  for (const [scenario] of SCENARIOS) {
    console.log(ratio(r(`${scenario}: gateway`), r(`${scenario}: direct yoga`)));
    console.log(ratio(r(`${scenario}: gateway (stitching only)`), r(`${scenario}: direct yoga`)));
    console.log(ratio(r(`${scenario}: gateway`), r(`${scenario}: gateway (stitching only)`)));
    console.log(ratio(r(`${scenario}: gateway`), r('nats echo')));
  }
} finally {
  await Promise.all(processes.map((p) => p.stop()));
  await database.drop();
  await removeNamespaceStreams(namespace);
}
