import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  errorCodes,
  freePort,
  postGraphQL,
  removeNamespaceStreams,
  startProcess,
  testNatsUrl,
  uniqueNamespace,
  type StartedProcess,
  type TestDatabase,
} from '@simpul/testing';

/**
 * `npm start`'s supervision, with the supervisor command and process commands that
 * infra/scripts/start.sh uses (`npm run -w apps/<name> start`), on databases and a NATS
 * namespace of the test's own: personnel's node process is killed with SIGKILL, the
 * gateway answers identity's fields at once with personnel's marked SERVICE_UNAVAILABLE,
 * and everything once the supervisor has restarted personnel. Ctrl-C then stops it all.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const QUERY = '{ me { username } employee(nip: "199001012015031001") { nip } }';

let supervisor: StartedProcess;
let databases: TestDatabase[] = [];
let namespace: string;
let url: string;
let token: string;

/** The processes of a process group, from /proc (zombies left for init count as gone). */
function groupMembers(pgid: number): { pid: number; comm: string }[] {
  const members: { pid: number; comm: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') members.push({ pid: Number(entry), comm });
    } catch {
      /* ended meanwhile */
    }
  }
  return members;
}

function supervisedGroup(name: string, nth = 1): number {
  const groups = [...supervisor.output().matchAll(new RegExp(`\\[supervisor\\] started ${name} \\(pid (\\d+)`, 'g'))];
  const group = groups[nth - 1]?.[1];
  if (!group) throw new Error(`no start number ${nth} of ${name} in:\n${supervisor.output().slice(-3000)}`);
  return Number(group);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}:\n${supervisor.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  databases = await Promise.all(['identity', 'personnel'].map((s) => createTestDatabase(s)));
  const [identityDb, personnelDb] = databases as [TestDatabase, TestDatabase];
  namespace = uniqueNamespace();
  const port = await freePort();
  const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`;
  url = `http://127.0.0.1:${port}`;
  supervisor = startProcess(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/supervisor/src/main.ts',
      // Long enough that the query below runs before personnel is back.
      '--backoff-ms',
      '3000',
      `identity=env DATABASE_URL=${identityDb.url} npm run -w @simpul/identity start`,
      `personnel=env DATABASE_URL=${personnelDb.url} npm run -w @simpul/personnel start`,
      'gateway=npm run -w @simpul/gateway start',
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        NATS_URL: testNatsUrl(),
        SIMPUL_NAMESPACE: namespace,
        SIMPUL_ADMIN_PASSWORD: adminPassword,
        SIMPUL_DEMO: 'false',
        GATEWAY_PORT: String(port),
        GATEWAY_SERVICES: 'identity,personnel',
        SERVICE_TIMEOUT_MS: '2000',
      },
    },
  );
  await until(async () => (await fetch(`${url}/ready`).catch(() => undefined))?.ok === true, 'the gateway to be ready');
  const login = await postGraphQL<{ login: { token: string } }>(url, 'mutation ($p: String!) { login(username: "admin", password: $p) { token } }', {
    p: adminPassword,
  });
  token = login.body.data?.login.token as string;
  expect(token).toBeTruthy();
}, 180_000);

afterAll(async () => {
  await supervisor?.stop(15_000);
  await Promise.all(databases.map((d) => d.drop()));
  if (namespace) await removeNamespaceStreams(namespace);
}, 60_000);

describe('npm start supervision', () => {
  it('answers partial results at once when a service is killed with SIGKILL, and full results after the restart', async () => {
    const before = await postGraphQL(url, QUERY, {}, token);
    expect(before.body.errors).toBeUndefined();
    const identityGroup = supervisedGroup('identity');
    const personnelNode = groupMembers(supervisedGroup('personnel')).find((p) => p.comm === 'node');
    expect(personnelNode).toBeDefined();

    process.kill(personnelNode!.pid, 'SIGKILL');
    await until(async () => /\[supervisor\] personnel exited/.test(supervisor.output()), 'the supervisor to see the death');

    // Meanwhile: identity's field answers, personnel's carries the error.
    const during = await postGraphQL<{ me: { username: string } }>(url, QUERY, {}, token);
    expect(during.body.data?.me).toEqual({ username: 'admin' });
    expect(errorCodes(during.body)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(during.body.errors?.[0]?.path).toEqual(['employee']);

    // The supervisor says what happened and starts personnel again.
    await until(async () => /\[supervisor\] started personnel \(pid \d+, restart 1\)/.test(supervisor.output()), 'the restart');
    expect(supervisor.output()).toMatch(
      /\[supervisor\] personnel exited with status 137 \(its command was killed by signal 9\) after .*; restarting it in 3\.0 s/,
    );

    await until(async () => (await postGraphQL(url, QUERY, {}, token)).body.errors === undefined, 'full results again');
    expect(supervisedGroup('identity')).toBe(identityGroup); // identity was never restarted
    expect(supervisor.output()).not.toMatch(/started (identity|gateway) \(pid \d+, restart/);
  });

  it('stops every process on Ctrl-C (SIGINT) and exits 0', async () => {
    const groups = ['identity', 'personnel', 'gateway'].map((name) => supervisedGroup(name, name === 'personnel' ? 2 : 1));
    expect(groups.map((g) => groupMembers(g).length > 0)).toEqual([true, true, true]);

    supervisor.child.kill('SIGINT');

    expect(await supervisor.exited).toBe(0);
    expect(supervisor.output()).toMatch(/\[supervisor\] stopping identity, personnel, gateway \(SIGTERM\)[\s\S]*\[supervisor\] stopped/);
    expect(groups.map((g) => groupMembers(g).length)).toEqual([0, 0, 0]);
  });
});
