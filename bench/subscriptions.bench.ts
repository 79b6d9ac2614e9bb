/**
 * What open subscriptions cost the gateway (issue 14): 1,000 SSE subscriptions on one
 * gateway, against a second gateway on the same services with none, in the same run:
 *   - idle:    the subscriptions are open, no event flows (IDLE_SECONDS);
 *   - flowing: applications are registered at EVENTS_PER_SECOND for FLOW_SECONDS, each
 *              registration an event every subscription receives (duplicateAnalysisUpdated,
 *              as the national administrator).
 * Both gateways follow the same event stream, so the difference is the subscriptions.
 *
 *   cd bench && npx tsx subscriptions.bench.ts   # SUBSCRIPTIONS=1000 IDLE_SECONDS=20 FLOW_SECONDS=20 EVENTS_PER_SECOND=5
 *
 * Prints each gateway's resident memory and CPU per phase, the ratios, and how many
 * events reached the subscribers.
 */
import { readFileSync } from 'node:fs';
import { cpuSeconds, eventually, openSubscription, postGraphQL, type OpenSubscription, type StartedProcess } from '@simpul/testing';
import { startPlatform } from '../e2e/test/platform.ts';

const subscriptions = Number(process.env.SUBSCRIPTIONS ?? 1000);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 20);
const flowSeconds = Number(process.env.FLOW_SECONDS ?? 20);
const eventsPerSecond = Number(process.env.EVENTS_PER_SECOND ?? 5);

function rssMiB(p: StartedProcess): number {
  const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const platform = await startPlatform({}, { services: ['identity', 'registry'] });
const open: OpenSubscription<{ duplicateAnalysisUpdated: { applicationId: string } }>[] = [];
try {
  const baseline = await platform.startGateway();
  const gateways = [
    { name: `${subscriptions} subscriptions`, process: platform.gateway },
    { name: 'none', process: baseline.process },
  ];
  const login = await postGraphQL<{ login: { token: string } }>(
    platform.url,
    'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
    { u: 'admin', p: platform.adminPassword },
  );
  const token = login.body.data!.login.token;
  const made = await postGraphQL(
    platform.url,
    'mutation { createAgency(input: { code: "BENCH-SUB", name: "Agency of the subscription bench", kind: AGENCY }) { code } }',
    {},
    token,
  );
  if (made.body.errors) throw new Error(JSON.stringify(made.body.errors));
  const functions = await postGraphQL<{ businessFunctions: { code: string }[] }>(platform.url, '{ businessFunctions { code } }', {}, token);
  const functionCode = functions.body.data!.businessFunctions[0]!.code;
  let n = 0;
  const register = async () => {
    const result = await postGraphQL(
      platform.url,
      'mutation ($i: RegisterApplicationInput!) { registerApplication(input: $i) { id } }',
      {
        i: {
          ownerAgencyCode: 'BENCH-SUB',
          name: `Aplikasi bench ${++n}`,
          description: `Pendataan layanan nomor ${n}.`,
          functionCodes: [functionCode],
          status: 'PLANNED',
          annualCostRupiah: '1000000',
          hosting: 'AGENCY_OWN',
          userCount: 10,
        },
      },
      token,
    );
    return result.body.errors ? undefined : true;
  };
  // The registry learns the agency from identity's events.
  await eventually(register, 'the registry to know the agency', 120_000);

  const phase = async (seconds: number, during?: () => Promise<void>) => {
    const before = gateways.map((g) => cpuSeconds(g.process.child.pid!));
    const started = Date.now();
    await (during ? Promise.all([during(), sleep(seconds * 1000)]) : sleep(seconds * 1000));
    const elapsed = (Date.now() - started) / 1000;
    return gateways.map((g, i) => ({ cpuPercent: ((cpuSeconds(g.process.child.pid!) - before[i]!) / elapsed) * 100, rss: rssMiB(g.process) }));
  };

  await sleep(5_000);
  const empty = await phase(idleSeconds);
  const query = 'subscription { duplicateAnalysisUpdated { change applicationId } }';
  for (let i = 0; i < subscriptions; i += 50) {
    open.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, subscriptions - i) }, () =>
          openSubscription<{ duplicateAnalysisUpdated: { applicationId: string } }>(platform.url, query, { token }),
        ),
      )),
    );
  }
  if (open.some((s) => s.status !== 200)) throw new Error('a subscription was refused');
  await sleep(5_000);
  const idle = await phase(idleSeconds);
  const received = () => open.reduce((sum, s) => sum + s.events.length, 0);
  const already = received();
  let sent = 0;
  const flowing = await phase(flowSeconds, async () => {
    const until = Date.now() + flowSeconds * 1000;
    while (Date.now() < until) {
      const tick = Date.now();
      if (await register()) sent++;
      await sleep(Math.max(0, 1000 / eventsPerSecond - (Date.now() - tick)));
    }
  });
  await eventually(() => (received() - already >= sent * subscriptions ? true : undefined), 'every event at every subscriber', 120_000).catch(() => undefined);
  const delivered = received() - already;

  console.log(`\nSubscriptions at the gateway: ${subscriptions} open SSE subscriptions vs none, same services, same run\n`);
  console.log('| phase | gateway | RSS MiB | CPU % of one core |');
  console.log('|---|---|---:|---:|');
  const rate = sent / flowSeconds;
  for (const [name, rows] of [
    ['no subscriptions yet', empty],
    ['idle', idle],
    [`flowing (${rate.toFixed(1)} events/s)`, flowing],
  ] as const) {
    rows.forEach((r, i) => console.log(`| ${name} | ${gateways[i]!.name} | ${r.rss.toFixed(1)} | ${r.cpuPercent.toFixed(1)} |`));
  }
  console.log('\n| phase | RSS ratio (subscribed / none) | extra RSS MiB | extra CPU % |');
  console.log('|---|---:|---:|---:|');
  for (const [name, rows] of [
    ['idle', idle],
    ['flowing', flowing],
  ] as const) {
    console.log(
      `| ${name} | ${(rows[0]!.rss / rows[1]!.rss).toFixed(2)} | ${(rows[0]!.rss - rows[1]!.rss - (empty[0]!.rss - empty[1]!.rss)).toFixed(1)} | ${(rows[0]!.cpuPercent - rows[1]!.cpuPercent).toFixed(1)} |`,
    );
  }
  console.log(
    `\n${sent} events sent while flowing (${rate.toFixed(1)}/s, registrations one after the other, at most ${eventsPerSecond}/s), ${delivered} deliveries received of ${sent * subscriptions} expected`,
  );
  const extraCpuSeconds = ((flowing[0]!.cpuPercent - flowing[1]!.cpuPercent) / 100) * flowSeconds;
  console.log(
    `gateway CPU per delivered event: ${((extraCpuSeconds * 1000) / Math.max(1, delivered)).toFixed(3)} ms; memory per idle subscription: ${(((idle[0]!.rss - idle[1]!.rss - (empty[0]!.rss - empty[1]!.rss)) * 1024) / subscriptions).toFixed(0)} KiB`,
  );
} finally {
  for (const s of open) s.close();
  await platform.stop();
}
