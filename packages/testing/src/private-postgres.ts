import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** Server URL without a database (`postgresql://postgres@127.0.0.1:<port>`); append `/<name>`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops the server: `immediate` is a crash as far as clients see it (connections cut,
   * WAL replayed at the next start), `fast` a clean shutdown that ends the sessions.
   */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and removes its data directory; safe after a failed start. */
  destroy(): Promise<void>;
}

/** The PostgreSQL server binaries: PG_BIN, else Debian's for PostgreSQL 15. */
export function postgresBinaries(): string {
  // Test helpers may read the environment: they stand in for a service's environment.ts.
  const dir = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
  if (!existsSync(join(dir, 'initdb'))) throw new Error(`no PostgreSQL binaries in ${dir} (install postgresql-15, or set PG_BIN)`);
  return dir;
}

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, on a free
 * loopback port, trust authentication), so a test may stop, crash and restart it: the
 * machine's server is shared with other tests and CI and must never be restarted.
 * PostgreSQL refuses to run as root; as root, its commands run as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'simpul-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all(['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())));
    await chown(dir, uid!, gid!);
  }
  const pg = async (tool: string, args: string[]) => {
    const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    try {
      await run(command as string, commandArgs as string[], { timeout: 120_000 });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  // The socket in the data's own directory, not /var/run/postgresql (the shared server's);
  // the log there too, for when a start fails.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=50`;
  let running = false;
  const server: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}`,
    port,
    async stop(mode = 'fast') {
      if (!running) return;
      await pg('pg_ctl', ['stop', '-D', data, '-m', mode, '-w']);
      running = false;
    },
    async start() {
      await pg('pg_ctl', ['start', '-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '120']);
      running = true;
    },
    async destroy() {
      await server.stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions']);
    await server.start();
    return server;
  } catch (error) {
    await server.destroy();
    throw error;
  }
}
