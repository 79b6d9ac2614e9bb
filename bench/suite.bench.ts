/**
 * The benchmark suite of issue 12: every scenario against every target, in one run.
 *
 *   npm run bench                 # 3 s warm-up, 10 s per measurement, at 16 and 64 connections
 *   npm run bench -- --quick      # 1 s warm-up, 3 s per measurement (to try it out)
 *   npm run bench -- --only health --cpu-prof /tmp/prof
 *       # only the scenarios whose name contains "health" (no floor, no events), with the
 *       # gateway target's processes and the monolith writing V8 CPU profiles to /tmp/prof
 *
 * Targets (started here, on one platform with demo data, on the same databases):
 *  - gateway: the Simpul gateway over NATS with query plans, and the four services;
 *  - monolith: the four services' code in one graphql-yoga process, joined in process;
 *  - hive: Hive Gateway composing the same four services over HTTP endpoints that only
 *    the benchmark starts (bench/servers/service-http.ts);
 *  - the NATS request/reply floor (an echo of the `me` request).
 * Plus events from outbox to consumer (bench/lib/events-load.ts).
 *
 * Every target must give the same answer to every scenario before anything is measured.
 * Writes a Markdown report to bench/results/<date>.md. Needs PostgreSQL and NATS.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { countGatewayRequests, cpuSeconds, eventually, freePort, postGraphQL, startProcess, testNatsUrl, type StartedProcess } from '@simpul/testing';
import { startPlatform } from '../e2e/test/platform.ts';
import { httpLoad } from './lib/http-load.ts';
import { natsLoad } from './lib/nats-load.ts';
import { outboxToConsumer, type EventsResult } from './lib/events-load.ts';
import type { LoadResult } from './lib/stats.ts';
import {
  BENCH_SERVICES as SERVICES,
  DOCUMENT_PAGE_SIZE,
  GRAPHQL_SCENARIOS,
  LETTER_AUTHOR,
  LETTER_SIGNER,
  type Caller,
  type GraphQLScenario,
} from './scenarios.ts';
import { writeReport, type Measurement } from './lib/report.ts';
import { GATEWAY_UNDER_LOAD } from './lib/gateway-settings.ts';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const warmUpSeconds = quick ? 1 : 3;
const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
/** Only the GraphQL scenarios whose name contains this (and neither the NATS floor nor the events). */
const only = option('--only');
/** Where the gateway, the services and the monolith write CPU profiles (on exit), to see where their time goes. */
const cpuProfDir = option('--cpu-prof');
const profiling: Record<string, string> = cpuProfDir
  ? {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${fileURLToPath(new URL('./lib/cpu-profile.mjs', import.meta.url))}`.trim(),
      BENCH_CPU_PROF_DIR: cpuProfDir,
    }
  : {};
const scenarios = only ? GRAPHQL_SCENARIOS.filter((s) => s.name.includes(only)) : GRAPHQL_SCENARIOS;
const CONNECTIONS = [16, 64];
const EVENT_COUNTS = [1_000, 10_000];
const root = fileURLToPath(new URL('..', import.meta.url));
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const machineBefore = uptime();
const startedAt = new Date();

interface Target {
  name: 'gateway' | 'monolith' | 'hive';
  url: string;
  /** Every process that works for this target's requests, by role. */
  processes: Map<string, StartedProcess>;
}

const extra: StartedProcess[] = [];
/** The processes started with the profiler preloaded (they must get no SIGUSR2 otherwise). */
const profiledProcesses = new Set<StartedProcess>();
console.log('starting the platform with demo data (the four services and the gateway) …');
// The four services only, exporting no spans and no exchange records (main's telemetry
// service): the monolith and Hive's services export none either.
const platform = await startPlatform(
  { SIMPUL_DEMO: 'true', SIMPUL_TELEMETRY_URL: 'off', GATEWAY_EXCHANGE_RECORDS: 'false', ...GATEWAY_UNDER_LOAD, ...profiling },
  { services: [...SERVICES], serviceEnv: (s) => (s === 'documents' ? { SIMPUL_DEMO: 'false' } : {}) },
);
try {
  // Identity opens the demo employees' accounts from personnel's events: wait for the last one.
  const login = (username: string) =>
    eventually(
      async () =>
        (
          await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
            u: username,
            p: platform.adminPassword,
          })
        ).body.data?.login.token,
      `${username} to log in`,
      180_000,
    );
  await login(DEMO_EMPLOYEES.at(-1)!.nip);
  const tokens: Record<Caller, string> = { admin: await login('admin'), author: await login(LETTER_AUTHOR.nip) };
  const signerToken = await login(LETTER_SIGNER.nip);
  await writeLetters(tokens.author, signerToken);

  console.log('starting the monolith, the per-service HTTP endpoints, Hive Gateway and the NATS echo …');
  const settings = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: platform.namespace,
    SIMPUL_ADMIN_PASSWORD: platform.adminPassword,
    ...Object.fromEntries([...platform.databaseUrls].map(([service, url]) => [`DATABASE_URL_${service.toUpperCase()}`, url])),
  };
  const launch = async (script: string, args: string[], ready: RegExp, env: Record<string, string> = {}) => {
    const p = startProcess(process.execPath, ['--import', 'tsx', `${root}bench/servers/${script}`, ...args], { cwd: root, env: { ...settings, ...env } });
    extra.push(p);
    await p.waitFor(ready, 120_000).catch((error: Error) => {
      throw new Error(`${script} ${args.join(' ')} did not start: ${error.message}\n${p.output().slice(-3000)}`);
    });
    return p;
  };
  const monolithPort = await freePort();
  const monolithStarted = launch('monolith.ts', [String(monolithPort)], /monolith ready/, { BENCH_NAMESPACE_SUFFIX: 'mono', ...profiling });
  const httpServices = new Map<string, { port: number; process: StartedProcess }>();
  const startHttp = async (service: (typeof SERVICES)[number]) => {
    const port = await freePort();
    httpServices.set(service, {
      port,
      process: await launch('service-http.ts', [service, String(port)], /over HTTP ready/, { BENCH_NAMESPACE_SUFFIX: 'hive' }),
    });
  };
  // Identity first: the other services fetch its keys over their namespace.
  await startHttp('identity');
  await Promise.all(SERVICES.filter((s) => s !== 'identity').map(startHttp));
  const monolith = await monolithStarted;
  if (cpuProfDir) [platform.gateway, ...platform.services.values(), monolith].forEach((p) => profiledProcesses.add(p));
  const hivePort = await freePort();
  const hive = await launch(
    'hive-gateway.ts',
    [String(hivePort), ...SERVICES.map((s) => [s, httpServices.get(s)!] as const).map(([s, { port }]) => `${s}=http://127.0.0.1:${port}/graphql`)],
    /hive gateway ready/,
  );
  const echo = await launch('nats-echo.ts', [testNatsUrl(), `${platform.namespace}.bench.echo`], /echo ready/);

  const targets: Target[] = [
    { name: 'gateway', url: platform.url, processes: new Map([['gateway', platform.gateway], ...[...platform.services].map(([s, p]) => [s, p] as const)]) },
    { name: 'monolith', url: `http://127.0.0.1:${monolithPort}`, processes: new Map([['monolith', monolith]]) },
    {
      name: 'hive',
      url: `http://127.0.0.1:${hivePort}`,
      processes: new Map([
        ['hive gateway', hive],
        ...SERVICES.map((s) => [s, httpServices.get(s)!] as const).map(([s, { process: p }]) => [`${s} (HTTP)`, p] as const),
      ]),
    },
  ];

  // Same answer from every target before anything is measured; the gateway's NATS requests per operation.
  // The gateway and the monolith must agree on everything; a peer (Hive Gateway) that
  // answers a scenario wrongly is left out of that scenario, and the report says why.
  const natsCounts = new Map<string, Record<string, number>>();
  const excluded = new Map<string, string>();
  for (const scenario of scenarios) {
    const answers = await Promise.all(
      targets.map(async (t) => comparable(scenario, (await postGraphQL(t.url, scenario.query, scenario.variables(), tokens[scenario.caller])).body)),
    );
    const reference = answers[0]!;
    if (reference.includes('"errors"')) throw new Error(`${scenario.name}: the gateway answers with errors: ${reference.slice(0, 2000)}`);
    answers.forEach((answer, i) => {
      if (answer === reference) return;
      const target = targets[i]!.name;
      if (target !== 'hive')
        throw new Error(`${scenario.name}: ${target} answers differently from the gateway:\n${answer.slice(0, 2000)}\nvs\n${reference.slice(0, 2000)}`);
      const message = (JSON.parse(answer) as { errors?: { message: string }[] }).errors?.[0]?.message ?? 'different data';
      excluded.set(`${scenario.name}|${target}`, message.split('\n')[0]!.slice(0, 300));
      console.log(`${scenario.name}: ${target} answers differently; left out of this scenario: ${message.slice(0, 300)}`);
    });
    const { counts } = await countGatewayRequests(platform.namespace, platform.url, scenario.query, scenario.variables(), tokens[scenario.caller]);
    natsCounts.set(scenario.name, counts);
  }
  console.log('the targets give the same answers');

  const measurements: Measurement[] = [];
  for (const scenario of scenarios) {
    for (const connections of CONNECTIONS) {
      for (const target of targets) {
        if (excluded.has(`${scenario.name}|${target.name}`)) continue;
        const run = (s: number) =>
          httpLoad({
            name: target.name,
            url: `${target.url}/graphql`,
            body:
              scenario.kind === 'mutation'
                ? () => JSON.stringify({ query: scenario.query, variables: scenario.variables() })
                : JSON.stringify({ query: scenario.query, variables: scenario.variables() }),
            headers: { authorization: `Bearer ${tokens[scenario.caller]}` },
            connections,
            seconds: s,
          });
        process.stdout.write(`${scenario.name} · ${connections} connections · ${target.name}: `);
        await run(warmUpSeconds);
        const result = await measured(target.processes, () => run(seconds));
        measurements.push({ scenario: scenario.name, kind: scenario.kind, connections, ...result });
        console.log(`${result.load.rps.toFixed(0)} req/s, p99 ${result.load.p99} ms${result.load.errors ? `, ${result.load.errors} errors` : ''}`);
      }
    }
  }

  const nc = await connect({ servers: testNatsUrl(), name: 'bench-floor' });
  const floorPayload = new TextEncoder().encode(JSON.stringify({ query: GRAPHQL_SCENARIOS[1]!.query }));
  for (const connections of only ? [] : CONNECTIONS) {
    const run = (s: number) =>
      natsLoad({ name: 'nats floor', nc, subject: `${platform.namespace}.bench.echo`, payload: floorPayload, inFlight: connections, seconds: s });
    await run(warmUpSeconds);
    const result = await measured(new Map([['echo', echo]]), () => run(seconds));
    measurements.push({ scenario: 'NATS request/reply (echo of the `me` request)', kind: 'floor', connections, ...result });
    console.log(`NATS floor · ${connections} in flight: ${result.load.rps.toFixed(0)} req/s`);
  }
  await nc.close();

  const events: (EventsResult | { events: number; failed: string })[] = [];
  for (const count of only ? [] : EVENT_COUNTS) {
    process.stdout.write(`events outbox → consumer, ${count}: `);
    try {
      const result = await outboxToConsumer(count);
      events.push(result);
      console.log(`${result.perSecond.toFixed(0)}/s, p99 lag ${result.p99LagMs} ms`);
    } catch (error) {
      events.push({ events: count, failed: (error as Error).message });
      console.log(`failed: ${(error as Error).message}`);
    }
  }

  const file = writeReport({
    root,
    startedAt,
    quick,
    seconds,
    warmUpSeconds,
    cores: availableParallelism(),
    machineBefore,
    machineAfter: uptime(),
    measurements,
    natsCounts,
    excluded,
    events,
  });
  console.log(`report written to ${file}`);
} finally {
  await Promise.all(extra.map((p) => p.stop()));
  await platform.stop();
}

/** Runs a load and charges each process the CPU it used meanwhile (profiled meanwhile with --cpu-prof). */
async function measured(processes: Map<string, StartedProcess>, run: () => Promise<LoadResult>) {
  const profiled = cpuProfDir ? [...processes.values()].filter((p) => profiledProcesses.has(p)) : [];
  // cpu-profile.mjs: the first SIGUSR2 starts the profiler, the second writes the profile.
  const toggleProfilers = () => profiled.forEach((p) => p.child.kill('SIGUSR2'));
  toggleProfilers();
  const before = new Map([...processes].map(([name, p]) => [name, cpuSeconds(p.child.pid!)]));
  const load = await run();
  toggleProfilers();
  const cpuMsPerRequest = new Map(
    [...processes].map(([name, p]) => [name, ((cpuSeconds(p.child.pid!) - before.get(name)!) * 1000) / Math.max(1, load.requests)]),
  );
  return { load, cpuMsPerRequest };
}

/** A response as compared across targets: a mutation's fresh NIP is blanked out. */
function comparable(scenario: GraphQLScenario, body: unknown): string {
  const text = JSON.stringify(body);
  return scenario.kind === 'mutation' ? text.replace(/"nip":"\d{18}"/g, '"nip":"…"') : text;
}

/** Letters for the documents join: written by one demo employee, half of them signed by another. */
async function writeLetters(authorToken: string, signerToken: string): Promise<void> {
  for (let i = 0; i < DOCUMENT_PAGE_SIZE; i++) {
    const input = {
      type: 'SURAT_DINAS',
      subject: `Undangan rapat koordinasi SPBE ${i + 1}`,
      body: 'Dengan hormat.',
      classificationCode: '500.12.1',
      securityClass: 'BIASA',
      signerNip: LETTER_SIGNER.nip,
      recipients: [{ kind: 'AGENCY', agencyCode: 'KOMINFO' }],
    };
    // Documents learns the employees from personnel's events: wait until it knows them.
    const id = await eventually(
      async () => {
        const res = await postGraphQL<{ createDocument: { id: string } }>(
          platform.url,
          'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
          { input },
          authorToken,
        );
        if (res.body.errors && res.body.errors[0]?.extensions?.code !== 'BAD_USER_INPUT') throw new Error(JSON.stringify(res.body.errors));
        return res.body.data?.createDocument.id;
      },
      'documents to learn the demo employees',
      120_000,
    );
    if (i % 2 === 0) continue;
    for (const [mutation, token] of [
      ['submitDocument', authorToken],
      ['signDocument', signerToken],
    ] as const) {
      const res = await postGraphQL(platform.url, `mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id }, token);
      if (res.body.errors) throw new Error(`${mutation}: ${JSON.stringify(res.body.errors)}`);
    }
  }
}
