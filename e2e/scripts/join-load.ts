/**
 * A quick local load run of the gateway's execution paths (issue 12), on demand:
 *
 *   cd e2e && npx tsx scripts/join-load.ts            # LOAD_SECONDS=10 LOAD_CONNECTIONS=16
 *
 * Starts the four services with demo data (as the e2e tests do) and two gateways on
 * them, one with query plans and one that only stitches, then loads each with the
 * joined 50-row employee page and `me`, and prints req/s, p50/p99 and the CPU time
 * per request of the gateway and of each service. The full benchmark suite is
 * `npm run bench`; this is the short loop used while working on the execution path.
 */
import autocannon from 'autocannon';
import { DEMO_EMPLOYEES } from '@simpul/contracts/demo';
import { cpuSeconds as cpuOfPid, postGraphQL, type StartedProcess } from '@simpul/testing';
import { startPlatform } from '../test/platform.ts';

const seconds = Number(process.env.LOAD_SECONDS ?? 10);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 16);

const scenarios: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  'employees(50) + agency, unit, user': {
    query: `query ($a: String!) { employees(agencyCode: $a, first: 50) { totalCount edges { node {
      nip name rank { code } agency { code name } unit { name } user { username } } } } }`,
    variables: { a: 'KAB-BANYUWANGI' },
  },
  me: { query: '{ me { username displayName roles agency { name } } }' },
};

const cpuSeconds = (process: StartedProcess) => cpuOfPid(process.child.pid!);

const platform = await startPlatform({ SIMPUL_DEMO: 'true' }, { serviceEnv: (s) => (s === 'documents' ? { SIMPUL_DEMO: 'false' } : {}) });
try {
  // LOAD_PROFILE=<dir>: the planned gateway writes a CPU profile there when it stops (stitching is not loaded then).
  const profiled = process.env.LOAD_PROFILE
    ? await platform.startGateway({
        NODE_OPTIONS: `--import ${new URL('./cpu-profile.mjs', import.meta.url).pathname}`,
        CPU_PROFILE_DIR: process.env.LOAD_PROFILE,
      })
    : undefined;
  const stitched = profiled ? undefined : await platform.startGateway({ QUERY_PLANS: 'false' });
  const targets = [
    profiled
      ? { name: 'query plans (profiled)', url: profiled.url, process: profiled.process }
      : { name: 'query plans', url: platform.url, process: platform.gateway },
    ...(stitched ? [{ name: 'stitching', url: stitched.url, process: stitched.process }] : []),
  ];
  // Wait until identity has opened the demo employees' accounts.
  const deadline = Date.now() + 180_000;
  let token: string | undefined;
  while (!token && Date.now() < deadline) {
    const last = await postGraphQL<{ login: { token: string } }>(
      platform.url,
      'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      { u: DEMO_EMPLOYEES.at(-1)!.nip, p: platform.adminPassword },
    );
    if (last.body.data)
      token = (
        await postGraphQL<{ login: { token: string } }>(platform.url, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
          u: 'admin',
          p: platform.adminPassword,
        })
      ).body.data?.login.token;
    else await new Promise((r) => setTimeout(r, 1000));
  }
  if (!token) throw new Error('demo accounts not ready');
  console.log(
    `| scenario | path | req/s | p50 ms | p99 ms | gateway CPU ms/req | ${[...platform.services.keys()].map((s) => `${s} CPU ms/req`).join(' | ')} |`,
  );
  console.log(`|---|---|---:|---:|---:|---:|${[...platform.services.keys()].map(() => '---:').join('|')}|`);
  for (const [name, { query, variables }] of Object.entries(scenarios)) {
    for (const target of targets) {
      const body = JSON.stringify({ query, variables });
      const check = await postGraphQL(target.url, query, variables, token);
      if (check.body.errors) throw new Error(`${name} via ${target.name}: ${JSON.stringify(check.body.errors)}`);
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
      const before = [cpuSeconds(target.process), ...[...platform.services.values()].map(cpuSeconds)];
      const result = await load(seconds);
      const after = [cpuSeconds(target.process), ...[...platform.services.values()].map(cpuSeconds)];
      const requests = result.requests.total;
      const perRequest = after.map((a, i) => (((a - (before[i] as number)) * 1000) / requests).toFixed(2));
      console.log(
        `| ${name} | ${target.name} | ${(requests / seconds).toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${perRequest.join(' | ')} |${result.non2xx + result.errors ? ` ${result.non2xx + result.errors} failed` : ''}`,
      );
    }
  }
} finally {
  await platform.stop();
}
