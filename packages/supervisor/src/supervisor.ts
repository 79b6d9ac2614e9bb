import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { linePrefixer } from './line-prefixer.ts';
import { groupAlive, groupGone, signalGroup } from './process-group.ts';
import { afterExit, nextStreak, type RestartPolicy } from './restart-policy.ts';

/** How long a stopped group's output may take to arrive after the group is gone (a grandchild outside it may hold the pipe). */
const OUTPUT_DRAIN_MS = 1_000;

export interface ProcessSpec {
  /** Shown before each of its lines: `[name] …`. */
  name: string;
  command: string;
  args: readonly string[];
  /** The whole environment of the process; this process's own when unset. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface SupervisorOptions {
  policy: RestartPolicy;
  /** Time between SIGTERM and SIGKILL when stopping. */
  stopTimeoutMs: number;
  /** Where every line goes: the processes' output (prefixed) and the supervisor's own. */
  write: (line: string) => void;
}

export type ProcessState = 'running' | 'waiting' | 'given-up' | 'stopped';

export interface ProcessStatus {
  name: string;
  state: ProcessState;
  /** The current run's pid (also its process group id); undefined between runs. */
  pid: number | undefined;
  /** Restarts so far, in all. */
  restarts: number;
}

/** How the supervisor ended: stopped on request, or every process was given up. */
export type SupervisorEnd = 'stopped' | 'all-given-up';

interface Managed {
  spec: ProcessSpec;
  state: ProcessState;
  child: ChildProcess | undefined;
  /** The current run's process group (its leader's pid). */
  pgid: number | undefined;
  startedAt: number;
  streak: number;
  restarts: number;
  timer: NodeJS.Timeout | undefined;
  /** Resolves when the current run has ended and its process group is gone. */
  ended: Promise<void>;
}

/**
 * Runs a set of processes and keeps them running, the way `npm start` needs it: a process
 * that dies is restarted with backoff while the others go on serving, one that keeps dying
 * is given up with a clear message, and `stop()` ends them all (SIGTERM, then SIGKILL).
 *
 * Each process runs as the leader of its own process group, so a signal to the group
 * reaches whatever it started (npm → sh → node), and when the leader dies its leftovers
 * are killed before the restart: an orphaned instance must not keep answering in the
 * queue group next to the new one.
 */
export class Supervisor {
  private readonly processes: Managed[];
  private stopping = false;
  private resolveEnd!: (end: SupervisorEnd) => void;
  /** Resolves when every process was given up, or once `stop()` has finished. */
  readonly ended: Promise<SupervisorEnd> = new Promise((resolve) => (this.resolveEnd = resolve));

  constructor(
    specs: readonly ProcessSpec[],
    private readonly options: SupervisorOptions,
  ) {
    const names = specs.map((s) => s.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0) throw new Error(`Process names must be unique; repeated: ${repeated.join(', ')}`);
    this.processes = specs.map((spec) => ({
      spec,
      state: 'waiting',
      child: undefined,
      pgid: undefined,
      startedAt: 0,
      streak: 0,
      restarts: 0,
      timer: undefined,
      ended: Promise.resolve(),
    }));
  }

  start(): void {
    for (const p of this.processes) this.run(p);
  }

  status(): ProcessStatus[] {
    return this.processes.map((p) => ({ name: p.spec.name, state: p.state, pid: p.child?.pid, restarts: p.restarts }));
  }

  /** Stops every process: SIGTERM to each process group, SIGKILL to those still there after the timeout. */
  async stop(): Promise<void> {
    if (this.stopping) return this.ended.then(() => undefined);
    this.stopping = true;
    for (const p of this.processes) {
      clearTimeout(p.timer);
      if (p.state === 'waiting') p.state = 'stopped';
    }
    const running = this.processes.filter((p) => p.state === 'running');
    if (running.length > 0) this.log(`stopping ${running.map((p) => p.spec.name).join(', ')} (SIGTERM)`);
    for (const p of running) if (p.pgid !== undefined) signalGroup(p.pgid, 'SIGTERM');
    const killTimer = setTimeout(() => {
      for (const p of running) {
        if (p.pgid === undefined || !groupAlive(p.pgid)) continue;
        this.log(`${p.spec.name} did not stop within ${seconds(this.options.stopTimeoutMs)}; sending SIGKILL`);
        signalGroup(p.pgid, 'SIGKILL');
      }
    }, this.options.stopTimeoutMs);
    await Promise.all(running.map((p) => p.ended));
    clearTimeout(killTimer);
    this.log('stopped');
    this.resolveEnd('stopped');
  }

  private run(p: Managed): void {
    const { spec } = p;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group
    });
    p.child = child;
    p.pgid = child.pid;
    p.state = 'running';
    p.startedAt = Date.now();
    const out = linePrefixer(spec.name, this.options.write);
    const err = linePrefixer(spec.name, this.options.write);
    child.stdout?.setEncoding('utf8').on('data', out.push);
    child.stderr?.setEncoding('utf8').on('data', err.push);

    let settle!: () => void;
    p.ended = new Promise((resolve) => (settle = resolve));
    // 'close' comes once every holder of the output pipes is gone: the leader and what it started.
    const outputClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    let exited = false;
    const onExit = (code: number | null, signal: NodeJS.Signals | null, failure?: Error) => {
      if (exited) return;
      exited = true;
      const pgid = child.pid;
      if (this.stopping) {
        // npm may exit before the node it started has finished its graceful shutdown:
        // wait for the whole group (stop() sends SIGKILL at the deadline), then for the
        // last lines it wrote, which may still be in the pipe when the group is gone.
        void (pgid === undefined ? Promise.resolve() : groupGone(pgid, this.options.stopTimeoutMs + 2_000))
          .then(() => Promise.race([outputClosed, delay(OUTPUT_DRAIN_MS)]))
          .then(() => {
            out.flush();
            err.flush();
            settle();
            this.afterRun(p, describeExit(code, signal, failure));
          });
        return;
      }
      out.flush();
      err.flush();
      if (pgid !== undefined) this.reapGroup(pgid);
      settle();
      this.afterRun(p, describeExit(code, signal, failure));
    };
    child.once('exit', (code, signal) => onExit(code, signal));
    // Only when the command could not be started at all (not found, not executable).
    child.once('error', (error) => onExit(null, null, error));
    const restart = p.restarts > 0 ? `, restart ${p.restarts}` : '';
    this.log(`started ${spec.name} (pid ${child.pid ?? '?'}${restart}): ${[spec.command, ...spec.args].join(' ')}`);
  }

  /**
   * Kills what is left of an ended run's process group (children of a killed npm, say).
   * SIGKILL cannot be caught, so nothing in the group runs again; there is no waiting for
   * the group to disappear, since orphans are reaped by init, which may be slow to do it.
   */
  private reapGroup(pgid: number): void {
    if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  }

  private afterRun(p: Managed, how: string): void {
    p.child = undefined;
    p.pgid = undefined;
    const name = p.spec.name;
    if (this.stopping) {
      p.state = 'stopped';
      return;
    }
    const runMs = Date.now() - p.startedAt;
    p.streak = nextStreak(this.options.policy, p.streak, runMs);
    const decision = afterExit(this.options.policy, p.streak);
    if (decision.action === 'give-up') {
      p.state = 'given-up';
      const { restartLimit, stableMs } = this.options.policy;
      this.log(
        `GAVE UP on ${name}: it ${how} after ${seconds(runMs)}, death ${p.streak} in a row ` +
          `(each within ${seconds(stableMs)} of starting; ${restartLimit} restarts tried). ` +
          `Not restarting it; the others keep running. See ${name}'s last lines above for the cause.`,
      );
      if (this.processes.every((q) => q.state === 'given-up')) {
        this.log('every process was given up; nothing is left to supervise');
        this.resolveEnd('all-given-up');
      }
      return;
    }
    p.state = 'waiting';
    this.log(
      `${name} ${how} after ${seconds(runMs)}; restarting it in ${seconds(decision.delayMs)} ` +
        `(death ${p.streak} in a row; gives up after ${this.options.policy.restartLimit} restarts in a row)`,
    );
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (this.stopping) return;
      p.restarts += 1;
      this.run(p);
    }, decision.delayMs);
  }

  private log(message: string): void {
    this.options.write(`[supervisor] ${message}`);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, failure?: Error): string {
  if (failure) return `could not be started (${failure.message})`;
  if (signal) return `was killed by ${signal}`;
  // A shell or npm reports a child killed by signal N as status 128 + N.
  if (code !== null && code > 128 && code < 160) return `exited with status ${code} (its command was killed by signal ${code - 128})`;
  return `exited with status ${code}`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
