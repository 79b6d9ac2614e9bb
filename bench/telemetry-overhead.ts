/**
 * What telemetry costs the gateway (issue 10): `me` and a cross-service query, each
 * loaded on two gateways in the same run, against the same services:
 *   - on:  exchange records published to the telemetry service, spans exported to it
 *          (what `npm start` runs);
 *   - off: GATEWAY_EXCHANGE_RECORDS=false, SIMPUL_TELEMETRY_URL=off (still tracing in
 *          process, so `extensions.traceId` is there, but nothing leaves the process).
 * Runs alternate on/off for ROUNDS rounds, so drift of a shared machine hits both alike.
 * The services send their spans in both cases: what is compared is the gateway's cost.
 *
 *   cd bench && npx tsx telemetry-overhead.ts        # LOAD_SECONDS=10 LOAD_CONNECTIONS=16 ROUNDS=2
 *
 * Prints req/s, p50/p99 and the gateway's CPU ms per request of each, and on/off ratios.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { postGraphQL, type StartedProcess } from '@simpul/testing';
import { startPlatform } from '../e2e/test/platform.ts';
import { GATEWAY_UNDER_LOAD } from './lib/gateway-settings.ts';

const seconds = Number(process.env.LOAD_SECONDS ?? 10);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 16);
const rounds = Number(process.env.ROUNDS ?? 2);
const TICKS = 100; // USER_HZ on Linux

const scenarios: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  me: { query: 'query Me { me { username displayName roles agency { name } } }' },
  'employees(20) + agency, unit, user': {
    query: `query Employees($a: String!) { employees(agencyCode: $a, first: 20) { totalCount edges { node {
      nip name rank { code } agency { code name } unit { name } user { username } } } } }`,
    variables: { a: 'KAB-BANYUWANGI' },
  },
};

function cpuSeconds(p: StartedProcess): number {
  const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS;
}

const platform = await startPlatform(
  { SIMPUL_DEMO: 'true', ...GATEWAY_UNDER_LOAD },
  { serviceEnv: (s) => (s === 'documents' ? { SIMPUL_DEMO: 'false' } : {}) },
);
try {
  const off = await platform.startGateway({ GATEWAY_EXCHANGE_RECORDS: 'false', SIMPUL_TELEMETRY_URL: 'off' });
  const targets = [
    { name: 'on', url: platform.url, process: platform.gateway },
    { name: 'off', url: off.url, process: off.process },
  ];
  const login = () =>
    postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      u: 'admin',
      p: platform.adminPassword,
    });
  const deadline = Date.now() + 180_000;
  let token: string | undefined;
  while (!token && Date.now() < deadline) {
    const last = await postGraphQL(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
      u: DEMO_EMPLOYEES.at(-1)!.nip,
      p: platform.adminPassword,
    });
    if (last.body.data) token = (await login()).body.data?.login.token;
    else await new Promise((r) => setTimeout(r, 1000));
  }
  if (!token) throw new Error('demo accounts not ready');

  const totals = new Map<string, { requests: number; seconds: number; cpu: number; p50: number[]; p99: number[] }>();
  for (let round = 1; round <= rounds; round++) {
    for (const [name, { query, variables }] of Object.entries(scenarios)) {
      for (const target of round % 2 ? targets : [...targets].reverse()) {
        const check = await postGraphQL(target.url, query, variables, token);
        if (check.body.errors) throw new Error(`${name} via ${target.name}: ${JSON.stringify(check.body.errors)}`);
        const body = JSON.stringify({ query, variables });
        const load = (duration: number) =>
          autocannon({
            url: `${target.url}/graphql`,
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            connections,
            duration,
          });
        await load(2); // warm-up
        const before = cpuSeconds(target.process);
        const result = await load(seconds);
        const cpu = cpuSeconds(target.process) - before;
        const key = `${name}|${target.name}`;
        const t = totals.get(key) ?? { requests: 0, seconds: 0, cpu: 0, p50: [], p99: [] };
        t.requests += result.requests.total;
        t.seconds += seconds;
        t.cpu += cpu;
        t.p50.push(result.latency.p50);
        t.p99.push(result.latency.p99);
        totals.set(key, t);
        console.error(
          `round ${round} ${name} ${target.name}: ${(result.requests.total / seconds).toFixed(0)} req/s${result.non2xx + result.errors ? `, ${result.non2xx + result.errors} failed` : ''}`,
        );
      }
    }
  }
  console.log(`\nTelemetry overhead at the gateway (${rounds} rounds x ${seconds} s, ${connections} connections, same services)\n`);
  console.log('| scenario | telemetry | req/s | p50 ms | p99 ms | gateway CPU ms/req |');
  console.log('|---|---|---:|---:|---:|---:|');
  const rate = (k: string) => totals.get(k)!.requests / totals.get(k)!.seconds;
  const cpuPer = (k: string) => (totals.get(k)!.cpu * 1000) / totals.get(k)!.requests;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const name of Object.keys(scenarios)) {
    for (const target of targets) {
      const k = `${name}|${target.name}`;
      const t = totals.get(k)!;
      console.log(`| ${name} | ${target.name} | ${rate(k).toFixed(0)} | ${median(t.p50)} | ${median(t.p99)} | ${cpuPer(k).toFixed(2)} |`);
    }
  }
  console.log('\n| scenario | throughput on/off | gateway CPU per request on/off |');
  console.log('|---|---:|---:|');
  for (const name of Object.keys(scenarios)) {
    console.log(`| ${name} | ${(rate(`${name}|on`) / rate(`${name}|off`)).toFixed(3)} | ${(cpuPer(`${name}|on`) / cpuPer(`${name}|off`)).toFixed(3)} |`);
  }
} finally {
  await platform.stop();
}
