import { writeFileSync, mkdirSync } from 'node:fs';
import type { EventsResult } from './events-load.ts';
import type { LoadResult } from './stats.ts';
import { GRAPHQL_SCENARIOS } from '../scenarios.ts';

export interface Measurement {
  scenario: string;
  kind: 'single' | 'joined' | 'mutation' | 'floor';
  connections: number;
  load: LoadResult;
  /** CPU milliseconds per request of every process of the target, by role. */
  cpuMsPerRequest: Map<string, number>;
}

export interface ReportInput {
  root: string;
  startedAt: Date;
  quick: boolean;
  seconds: number;
  warmUpSeconds: number;
  cores: number;
  machineBefore: string;
  machineAfter: string;
  measurements: Measurement[];
  natsCounts: Map<string, Record<string, number>>;
  /** `scenario|target` → why that target was left out of that scenario (it answered differently). */
  excluded: Map<string, string>;
  events: (EventsResult | { events: number; failed: string })[];
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

/** Writes the Markdown report to bench/results/<timestamp>.md and returns its path. */
export function writeReport(input: ReportInput): string {
  const { measurements } = input;
  const find = (scenario: string, connections: number, target: string) =>
    measurements.find((m) => m.scenario === scenario && m.connections === connections && m.load.name === target);
  const lines: string[] = [];
  lines.push(`# Benchmark suite: ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${input.quick ? ' (quick mode)' : ''}`);
  lines.push('');
  lines.push(
    `Command: \`npm run bench${input.quick ? ' -- --quick' : ''}\`. ${input.warmUpSeconds} s warm-up, then ${input.seconds} s per measurement, at 16 and 64 connections (autocannon, closed loop).`,
  );
  lines.push('');
  lines.push(
    `**The machine is shared** (${input.cores} cores, used by other work at the same time), so absolute numbers are noisy; the ratios between targets measured in the same run are what counts.`,
  );
  lines.push(`Load before: \`${input.machineBefore}\`; after: \`${input.machineAfter}\`.`);
  lines.push('');
  lines.push('Targets, all on the same PostgreSQL databases with the same demo data:');
  lines.push('- **gateway**: the Simpul gateway (query plans on) over NATS and the four services, one process each;');
  lines.push(
    "- **monolith**: the four services' own schemas, resolvers and contexts in ONE graphql-yoga process, joined in process by the gateway's query plans (bench/servers/monolith.ts);",
  );
  lines.push(
    '- **hive**: Hive Gateway (its runtime, `@graphql-hive/gateway-runtime`) composing the same four services, reached over an HTTP endpoint per service that only the benchmark starts (bench/servers/service-http.ts, hive-gateway.ts);',
  );
  lines.push('- **NATS floor**: request/reply to an echo process, as many requests in flight as connections.');
  lines.push('');
  if (input.excluded.size > 0) {
    lines.push('**Left out** (the target answered differently from the gateway and the monolith, so it was not measured there):');
    for (const [key, why] of input.excluded) {
      const [scenario, target] = key.split('|');
      lines.push(`- ${target} on \`${scenario}\`: ${why.replaceAll('|', '\\|')}`);
    }
    lines.push('');
  }
  lines.push('CPU ms/req is CPU time (user + system, from /proc) of each process of the target during the measurement, divided by the requests answered.');
  lines.push('');

  lines.push('## Throughput, latency and CPU per request');
  lines.push('');
  lines.push('| scenario | conns | target | req/s | p50 ms | p99 ms | errors | CPU ms/req (all) | CPU ms/req by process |');
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---|');
  for (const m of measurements) {
    const total = [...m.cpuMsPerRequest.values()].reduce((a, b) => a + b, 0);
    const parts = [...m.cpuMsPerRequest].map(([p, ms]) => `${p} ${ms.toFixed(2)}`).join(', ');
    lines.push(
      `| ${m.scenario} | ${m.connections} | ${m.load.name} | ${fmt(m.load.rps)} | ${fmt(m.load.p50, 1)} | ${fmt(m.load.p99, 1)} | ${m.load.errors} | ${total.toFixed(2)} | ${parts} |`,
    );
  }
  lines.push('');

  lines.push('## Ratios and goals (same run)');
  lines.push('');
  lines.push(
    "CPU ÷ is the CPU time per request of all the target's processes against the monolith's: unlike req/s it does not depend on how much of a crowded machine each target won.",
  );
  lines.push('');
  lines.push(
    '| scenario | conns | gateway ÷ monolith req/s | gateway ÷ monolith p99 | gateway ÷ hive req/s | CPU/req gateway ÷ monolith | CPU/req hive ÷ gateway | goal | |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---|');
  const goals: boolean[] = [];
  for (const scenario of GRAPHQL_SCENARIOS) {
    for (const connections of [16, 64]) {
      const g = find(scenario.name, connections, 'gateway');
      const mono = find(scenario.name, connections, 'monolith');
      const hive = find(scenario.name, connections, 'hive');
      if (!g || !mono) continue;
      const tp = g.load.rps / mono.load.rps;
      const p99 = g.load.p99 / mono.load.p99;
      const vsHive = hive ? g.load.rps / hive.load.rps : NaN;
      let goal: string;
      let ok: boolean;
      if (scenario.kind === 'single') {
        goal = '≥ 0.9× monolith';
        ok = tp >= 0.9;
      } else if (scenario.kind === 'joined') {
        goal = hive ? '≥ 0.6× monolith, p99 ≤ 1.5×, ≥ 1.4× hive' : '≥ 0.6× monolith, p99 ≤ 1.5× (hive left out)';
        ok = tp >= 0.6 && p99 <= 1.5 && (!hive || vsHive >= 1.4);
      } else {
        goal = '(none set; shown for comparison)';
        ok = true;
      }
      if (scenario.kind !== 'mutation') goals.push(ok);
      const cpu = (m: Measurement | undefined) => (m ? [...m.cpuMsPerRequest.values()].reduce((a, b) => a + b, 0) : NaN);
      lines.push(
        `| ${scenario.name} | ${connections} | ${x(tp)} | ${x(p99)} | ${x(vsHive)} | ${x(cpu(g) / cpu(mono))} | ${x(cpu(hive) / cpu(g))} | ${goal} | ${scenario.kind === 'mutation' ? '' : mark(ok)} |`,
      );
    }
  }
  lines.push('');

  lines.push("## The gateway's NATS requests per operation");
  lines.push('');
  lines.push(
    "Counted on the bus during the equality check (requests from the gateway's inbox only); `e2e/test/query-plans.e2e.test.ts` asserts the same counts for every scenario.",
  );
  lines.push('');
  lines.push('| scenario | requests by service | levels | ≤ 1 per service per level |');
  lines.push('|---|---|---|---|');
  for (const scenario of GRAPHQL_SCENARIOS) {
    const counts = input.natsCounts.get(scenario.name) ?? {};
    const ok = JSON.stringify(counts) === JSON.stringify(scenario.natsRequests);
    lines.push(
      `| ${scenario.name} | ${Object.entries(counts)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')} | ${scenario.levels} | ${mark(ok)} |`,
    );
  }
  lines.push('');

  lines.push('## Events from outbox to consumer');
  lines.push('');
  lines.push(
    "A personnel database's outbox, bus's OutboxRelay to JetStream and bus's durable consumer, in one process; events written in transactions of 100 as fast as PostgreSQL takes them. Lag: from the event's write to its handler.",
  );
  lines.push('');
  lines.push('| events | events/s | p50 lag ms | p99 lag ms | max lag ms | CPU ms/event | goal ≥ 10,000/s, p99 < 100 ms |');
  lines.push('|---:|---:|---:|---:|---:|---:|---|');
  for (const e of input.events) {
    if ('failed' in e) {
      lines.push(`| ${fmt(e.events)} | failed: ${e.failed.replaceAll('|', '/')} | | | | | **missed** |`);
      continue;
    }
    lines.push(
      `| ${fmt(e.events)} | ${fmt(e.perSecond)} | ${fmt(e.p50LagMs)} | ${fmt(e.p99LagMs)} | ${fmt(e.maxLagMs)} | ${e.cpuMsPerEvent.toFixed(3)} | ${mark(e.perSecond >= 10_000 && e.p99LagMs < 100)} |`,
    );
  }
  lines.push('');

  const dir = `${input.root}bench/results`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${input.startedAt.toISOString().slice(0, 16).replace(':', '')}${input.quick ? '-quick' : ''}.md`;
  writeFileSync(file, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}`);
  return file;
}
