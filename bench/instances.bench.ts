/**
 * Throughput with two instances of each service against one, in the same run (issue 13):
 *
 *   npm run bench:instances -w @simpul/bench     (BENCH_SECONDS=15 BENCH_CONNECTIONS=32)
 *
 * One platform with demo data (the four services of bench/scenarios.ts, as the suite runs
 * them: no span export), measured in four configurations one after the other:
 *  A  one instance of each service, one gateway;
 *  B  two instances of each service (each pair one NATS queue group), one gateway;
 *  C  as B, with a second gateway, the load split between both (as behind a load balancer);
 *  A' the second instances and gateway stopped again: A once more, so a drift of the
 *     shared machine's load shows as A' ≠ A rather than as a gain or loss of B or C.
 * Each: a warm-up, then closed-loop load of a joined query (personnel, then identity) and
 * of `me` (identity only). CPU per request is the user + system time of every platform
 * process (services and gateways, from /proc) during the measurement over the requests
 * answered. Needs PostgreSQL and NATS as for the tests.
 */
import { execFileSync } from 'node:child_process';
import { DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { cpuSeconds, eventually, postGraphQL, type StartedProcess } from '@simpul/testing';
import { startPlatform } from '../e2e/test/platform.ts';
import { httpLoad } from './lib/http-load.ts';
import { formatTable, type LoadResult } from './lib/stats.ts';
import { GATEWAY_UNDER_LOAD } from './lib/gateway-settings.ts';
import { BENCH_SERVICES, GRAPHQL_SCENARIOS } from './scenarios.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const SCENARIOS = GRAPHQL_SCENARIOS.filter((s) => s.name === 'me' || s.name.startsWith('employees(50)'));

interface Result extends LoadResult {
  cpuMsPerRequest: number;
  processes: number;
}

console.log(`machine before: ${uptime()}`);
console.log('starting the platform with demo data (the four services and the gateway) …');
const platform = await startPlatform(
  { SIMPUL_DEMO: 'true', SIMPUL_TELEMETRY_URL: 'off', GATEWAY_EXCHANGE_RECORDS: 'false', ...GATEWAY_UNDER_LOAD },
  { services: [...BENCH_SERVICES], serviceEnv: (s) => (s === 'documents' ? { SIMPUL_DEMO: 'false' } : {}) },
);
/** The second instances (and, in C, the second gateway). */
const extras: StartedProcess[] = [];
try {
  await eventually(
    async () =>
      (
        await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
          u: DEMO_EMPLOYEES.at(-1)!.nip,
          p: platform.adminPassword,
        })
      ).body.data?.login.token,
    'the demo accounts',
    180_000,
  );
  const login = await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: platform.adminPassword,
  });
  const headers = { authorization: `Bearer ${login.body.data!.login.token}` };

  const firsts = [...platform.services.values(), platform.gateway];
  /** Measures every scenario against `urls` (the connections split evenly), with the CPU of `processes`. */
  const measure = async (config: string, urls: string[], processes: StartedProcess[]): Promise<Result[]> => {
    const results: Result[] = [];
    for (const scenario of SCENARIOS) {
      const body = () => JSON.stringify({ query: scenario.query, variables: scenario.variables() });
      const run = (s: number) =>
        Promise.all(
          urls.map((url) =>
            httpLoad({
              name: scenario.name,
              url: `${url}/graphql`,
              body,
              headers,
              connections: Math.max(1, Math.round(connections / urls.length)),
              seconds: s,
            }),
          ),
        );
      await run(3); // warm-up: JIT, pools, the new instances' caches
      const before = processes.map((p) => cpuSeconds(p.child.pid!));
      const loads = await run(seconds);
      const cpu = processes.reduce((sum, p, i) => sum + cpuSeconds(p.child.pid!) - before[i]!, 0);
      const requests = loads.reduce((n, l) => n + l.requests, 0);
      results.push({
        name: `${scenario.name}: ${config}`,
        requests,
        errors: loads.reduce((n, l) => n + l.errors, 0),
        seconds,
        rps: requests / seconds,
        p50: Math.max(...loads.map((l) => l.p50)),
        p99: Math.max(...loads.map((l) => l.p99)),
        cpuMsPerRequest: (cpu * 1000) / Math.max(1, requests),
        processes: processes.length,
      });
      console.log(`  ${scenario.name}: ${(requests / seconds).toFixed(0)} req/s`);
    }
    return results;
  };

  const all: Result[] = [];
  console.log('A: one instance of each service, one gateway');
  all.push(...(await measure('A 1×services, 1 gateway', [platform.url], firsts)));

  for (const service of BENCH_SERVICES) extras.push(platform.startInstance(service));
  await Promise.all(extras.map((p, i) => p.waitFor(new RegExp(`${BENCH_SERVICES[i]} started`), 180_000)));
  console.log('B: two instances of each service, one gateway');
  all.push(...(await measure('B 2×services, 1 gateway', [platform.url], [...firsts, ...extras])));

  const gateway2 = await platform.startGateway({ GATEWAY_EXCHANGE_RECORDS: 'false', ...GATEWAY_UNDER_LOAD });
  extras.push(gateway2.process);
  console.log('C: two instances of each service, two gateways');
  all.push(...(await measure('C 2×services, 2 gateways', [platform.url, gateway2.url], [...firsts, ...extras])));

  await Promise.all(extras.map((p) => p.stop()));
  console.log("A': one instance of each again");
  all.push(...(await measure("A' 1×services, 1 gateway", [platform.url], firsts)));

  console.log(`\nmachine after: ${uptime()}; ${connections} connections, ${seconds} s per measurement\n`);
  console.log(formatTable(all));
  console.log('\nCPU per request (all platform processes):');
  for (const r of all) console.log(`  ${r.name}: ${r.cpuMsPerRequest.toFixed(2)} ms over ${r.processes} processes`);
  console.log("\nRatios against A (and A' for drift):");
  for (const scenario of SCENARIOS) {
    const of = (config: string) => all.find((r) => r.name === `${scenario.name}: ${config}`)!;
    const a = of('A 1×services, 1 gateway');
    for (const config of ['B 2×services, 1 gateway', 'C 2×services, 2 gateways', "A' 1×services, 1 gateway"]) {
      const r = of(config);
      console.log(
        `  ${scenario.name}: ${config} vs A: throughput ${(r.rps / a.rps).toFixed(2)}x, CPU per request ${(r.cpuMsPerRequest / a.cpuMsPerRequest).toFixed(2)}x, p99 ${(r.p99 / a.p99).toFixed(2)}x`,
      );
    }
  }
} finally {
  await platform.stop();
}
