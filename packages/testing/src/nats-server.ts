import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

export interface NatsServerOptions {
  /** Enable JetStream with a store directory of its own (kept across restarts). Default true. */
  jetstream?: boolean;
  /** A configuration file (-c); the port and store directory still come from this helper. */
  configFile?: string;
  /** Extra command-line arguments. */
  args?: string[];
  /** Extra environment (a configuration may read variables such as $SIMPUL_NATS_PASSWORD). */
  env?: Record<string, string>;
  /** Write the server's pid here (-P), e.g. for identity's NATS_SERVER_PID_FILE. */
  pidFile?: string;
}

export interface TestNatsServer {
  readonly url: string;
  readonly port: number;
  /** The server's process id while it runs (for `kill -HUP`, i.e. a configuration reload). */
  readonly pid: number | undefined;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server (SIGKILL when `hard`, else SIGTERM: a clean shutdown); its store stays. */
  stop(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
  /** Re-reads the configuration file (SIGHUP) and waits until the server says so. */
  reload(): Promise<void>;
  /** Stops the server and removes its store. */
  destroy(): Promise<void>;
}

/** The nats-server binary: NATS_SERVER_BIN, else on PATH, else Debian's /usr/sbin/nats-server. */
export function natsServerBinary(): string {
  // Test helpers may read the environment: they stand in for a service's environment.ts.
  const configured = process.env.NATS_SERVER_BIN;
  if (configured) return configured;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/bin', '/usr/bin'])) {
    const candidate = join(dir, 'nats-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error('nats-server is not installed; run infra/scripts/infra.sh (it installs it on Debian) or set NATS_SERVER_BIN');
}

/**
 * Starts a nats-server of the test's own on a spare port, so the test may stop, kill
 * and restart it without touching the shared server other tests use.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<TestNatsServer> {
  const bin = natsServerBinary();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'simpul-nats-'));
  const args = [
    ...(options.configFile ? ['-c', options.configFile] : []),
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    ...(options.jetstream === false ? [] : ['-js', '-sd', join(dir, 'store')]),
    ...(options.pidFile ? ['-P', options.pidFile] : []),
    ...(options.args ?? []),
  ];
  let child: ChildProcess | undefined;
  let text = '';
  let waiters: (() => void)[] = [];

  function waitForOutput(pattern: RegExp, from: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server: no "${what}" within 30 s:\n${text.slice(-3000)}`)), 30_000);
      const check = () => {
        if (pattern.test(text.slice(from))) {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
          return true;
        }
        return false;
      };
      if (!check()) waiters.push(check);
    });
  }

  async function start(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const from = text.length;
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    child = proc;
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      for (const w of [...waiters]) w();
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}) while starting:\n${text.slice(-3000)}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForOutput(/Server is ready/, from, 'Server is ready'), exited]);
  }

  async function stop(stopOptions: { hard?: boolean } = {}): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(stopOptions.hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    output: () => text,
    stop,
    start,
    async reload() {
      const from = text.length;
      child?.kill('SIGHUP');
      await waitForOutput(/Reloaded server configuration|Failed to reload server configuration/, from, 'Reloaded');
      const failed = text.slice(from).match(/Failed to reload server configuration: (.*)/);
      if (failed) throw new Error(`nats-server refused the new configuration: ${failed[1]}`);
    },
    async destroy() {
      await stop({ hard: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
