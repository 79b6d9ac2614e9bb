import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Supervisor, type ProcessSpec, type SupervisorOptions } from '../src/index.ts';

// Real processes (small node scripts), real signals, short delays.
const node = process.execPath;
const forever = (label: string): ProcessSpec => ({
  name: label,
  command: node,
  args: ['-e', `console.log('${label} up pid=' + process.pid); setInterval(() => {}, 1000)`],
});
const options = (lines: string[], overrides: Partial<SupervisorOptions['policy']> = {}): SupervisorOptions => ({
  policy: { restartLimit: 3, backoffMs: 50, maxBackoffMs: 200, stableMs: 5_000, ...overrides },
  stopTimeoutMs: 2_000,
  write: (line) => lines.push(line),
});

/** Running (a zombie left for init to reap counts as gone). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Retries `check` until it passes: a wait with a generous limit, not a timed assertion. */
const waitFor = (check: () => void, timeout = 45_000) => vi.waitFor(check, { timeout, interval: 20 });

const started: Supervisor[] = [];
function supervise(specs: ProcessSpec[], opts: SupervisorOptions): Supervisor {
  const supervisor = new Supervisor(specs, opts);
  started.push(supervisor);
  supervisor.start();
  return supervisor;
}
const pidOf = (s: Supervisor, name: string) => s.status().find((p) => p.name === name)?.pid;

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe(Supervisor.name, () => {
  it('restarts a process killed with SIGKILL while the others keep running, and logs it', async () => {
    const lines: string[] = [];
    const s = supervise([forever('identity'), forever('personnel')], options(lines));
    await waitFor(() => expect(lines.filter((l) => /^\[\w+\] \w+ up pid=/.test(l))).toHaveLength(2));
    const identityPid = pidOf(s, 'identity') as number;
    const personnelPid = pidOf(s, 'personnel') as number;

    process.kill(personnelPid, 'SIGKILL');

    await waitFor(() => expect(lines.filter((l) => l.startsWith('[personnel] personnel up'))).toHaveLength(2));
    expect(lines).toContainEqual(expect.stringMatching(/^\[supervisor\] personnel was killed by SIGKILL after .*; restarting it in 0\.1 s \(death 1 in a row/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[supervisor\] started personnel \(pid \d+, restart 1\)/));
    expect(pidOf(s, 'personnel')).not.toBe(personnelPid);
    expect(pidOf(s, 'identity')).toBe(identityPid);
    expect(s.status().find((p) => p.name === 'identity')?.restarts).toBe(0);
  });

  it('gives up on a process that keeps dying, says so, and keeps the others running', async () => {
    const lines: string[] = [];
    const crashing: ProcessSpec = { name: 'registry', command: node, args: ['-e', "console.error('cannot start: bad settings'); process.exit(3)"] };
    const s = supervise([forever('identity'), crashing], options(lines, { restartLimit: 2 }));

    await waitFor(() => expect(s.status().find((p) => p.name === 'registry')?.state).toBe('given-up'));
    const delays = lines.filter((l) => l.startsWith('[supervisor] registry exited')).map((l) => /restarting it in ([\d.]+ s)/.exec(l)?.[1]);
    expect(delays).toEqual(['0.1 s', '0.1 s']); // 50 ms then 100 ms, shown to a tenth of a second
    expect(lines.filter((l) => l === '[registry] cannot start: bad settings')).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^\[supervisor\] GAVE UP on registry: it exited with status 3 after .*, death 3 in a row .*2 restarts tried.*the others keep running/,
      ),
    );
    expect(s.status().find((p) => p.name === 'identity')?.state).toBe('running');
  });

  it('ends with all-given-up when no process is left', async () => {
    const lines: string[] = [];
    const s = supervise([{ name: 'broken', command: '/nonexistent/simpul-command', args: [] }], options(lines, { restartLimit: 1 }));
    await expect(s.ended).resolves.toBe('all-given-up');
    expect(lines).toContainEqual(expect.stringMatching(/broken could not be started \(spawn \/nonexistent\/simpul-command ENOENT\)/));
  });

  it('kills what is left of a dead process group before restarting, so no orphan keeps serving', async () => {
    const lines: string[] = [];
    // sh starts a long-lived child (an npm → node chain, in miniature), then sh is killed.
    const chain: ProcessSpec = {
      name: 'documents',
      command: 'sh',
      args: ['-c', `${node} -e "console.log('inner pid=' + process.pid); setInterval(() => {}, 1000)" & wait`],
    };
    const s = supervise([chain], options(lines));
    await waitFor(() => expect(lines.some((l) => /^\[documents\] inner pid=\d+/.test(l))).toBe(true));
    const innerPid = Number(/inner pid=(\d+)/.exec(lines.find((l) => /^\[documents\] inner pid=/.test(l)) as string)?.[1]);
    expect(alive(innerPid)).toBe(true);

    process.kill(pidOf(s, 'documents') as number, 'SIGKILL');

    await waitFor(() => expect(lines.filter((l) => /^\[documents\] inner pid=/.test(l))).toHaveLength(2));
    expect(alive(innerPid)).toBe(false);
  });

  it('lets a process finish its graceful shutdown on stop() even when its leader exits first (npm before node)', async () => {
    const lines: string[] = [];
    // sh dies at once on SIGTERM; the node it started takes 300 ms to shut down.
    const script =
      "console.log('inner pid=' + process.pid); process.on('SIGTERM', () => setTimeout(() => { console.log('drained'); process.exit(0); }, 300)); setInterval(() => {}, 1000)";
    const chain: ProcessSpec = { name: 'identity', command: 'sh', args: ['-c', `${node} -e "${script}" & wait`] };
    const s = supervise([chain], options(lines));
    await waitFor(() => expect(lines.some((l) => /^\[identity\] inner pid=\d+/.test(l))).toBe(true));
    const innerPid = Number(/inner pid=(\d+)/.exec(lines.find((l) => /^\[identity\] inner pid=/.test(l)) as string)?.[1]);

    await s.stop();

    expect(lines).toContain('[identity] drained');
    expect(alive(innerPid)).toBe(false);
    expect(lines.some((l) => /did not stop/.test(l))).toBe(false);
  });

  it('stops every process on stop(): SIGTERM, then SIGKILL for one that ignores it', async () => {
    const lines: string[] = [];
    const stubborn: ProcessSpec = {
      name: 'gateway',
      command: node,
      args: ['-e', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('gateway up'); setInterval(() => {}, 1000)"],
    };
    const s = supervise([forever('identity'), stubborn], { ...options(lines), stopTimeoutMs: 500 });
    await waitFor(() => expect(lines.filter((l) => /^\[\w+\] \w+ up/.test(l))).toHaveLength(2));
    const pids = s.status().map((p) => p.pid as number);

    await s.stop();

    await expect(s.ended).resolves.toBe('stopped');
    expect(pids.map(alive)).toEqual([false, false]);
    expect(lines).toContain('[gateway] ignoring SIGTERM');
    expect(lines).toContainEqual(expect.stringMatching(/gateway did not stop within 0\.5 s; sending SIGKILL/));
    expect(s.status().map((p) => p.state)).toEqual(['stopped', 'stopped']);
  });
});

describe('supervisor command', () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

  it('runs NAME=COMMAND processes with prefixed output and stops them all on SIGINT, exit 0', async () => {
    const child = spawn(
      node,
      [
        '--import',
        'tsx',
        main,
        '--stop-timeout-ms',
        '3000',
        `a=${node} -e console.log('a-up');setInterval(()=>{},1000)`,
        `b=${node} -e console.log('b-up');setInterval(()=>{},1000)`,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => {
      expect(out).toContain('[a] a-up');
      expect(out).toContain('[b] b-up');
      // tsx compiles the supervisor and starts two more Nodes: a minute and more on a loaded CI machine.
    }, 120_000);
    const pids = [...out.matchAll(/started \w \(pid (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);

    child.kill('SIGINT');

    expect(await exited).toBe(0);
    expect(out).toMatch(/\[supervisor\] SIGINT: stopping every process/);
    expect(out).toMatch(/\[supervisor\] stopped/);
    expect(pids.map(alive)).toEqual([false, false]);
  }, 180_000);

  it('refuses bad arguments with exit status 2 and the usage', async () => {
    const child = spawn(node, ['--import', 'tsx', main, 'no-equals-sign'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toMatch(/'no-equals-sign' is not NAME=COMMAND[\s\S]*usage: supervisor/);
  }, 180_000);
});
