import pg from 'pg';

/**
 * One database per service. `DATABASE_URL` may name a server only
 * (`postgresql://postgres@127.0.0.1:5432`), in which case the service's database is
 * `<namespace>_<service>` on it (`SIMPUL_NAMESPACE`, so `simpul_identity` by default, and
 * a second platform with its own namespace on the same server gets databases of its
 * own), or a full URL with a database, used as it is.
 */
export function serviceDatabaseUrl(base: string, service: string, namespace = 'simpul'): string {
  const url = new URL(base);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${namespace}_${service}`;
  return url.toString();
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  return name;
}

function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** Runs `fn` with a client on the server's `postgres` database. */
async function withMaintenanceClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const where = new URL(url);
    throw new Error(
      `PostgreSQL is unreachable at ${where.host} (${(error as Error).message}). ` + 'Start it, or run infra/scripts/infra.sh, which starts or installs it.',
      { cause: error },
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates the database when it does not exist (optionally as a copy of `template`).
 * Safe to call from several processes at once.
 */
export async function ensureDatabase(url: string, template?: string): Promise<'created' | 'existed'> {
  const name = databaseName(url);
  return withMaintenanceClient(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'existed';
    try {
      const from = template ? ` TEMPLATE "${databaseName(`postgresql://x/${template}`)}"` : '';
      await client.query(`CREATE DATABASE "${name}"${from}`);
      return 'created';
    } catch (error) {
      // Created concurrently: "already exists", or the catalog's unique index when both raced.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return 'existed';
      throw error;
    }
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/**
 * A pg pool for Prisma's CLI. prisma/orm#27403: Prisma 6.19's WebAssembly schema
 * engine cannot read columns of the catalog type `name` (OID 19), which
 * `migrate deploy` selects; reporting them as `text` (OID 25) is enough. Delete this
 * once upstream fixes the issue. https://github.com/prisma/prisma/issues/27403
 */
export class NameAsTextPool extends pg.Pool {
  // pg's overloads make a faithful signature unwieldy; the shim only post-processes results.
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      return (result as Promise<pg.QueryResult>).then(rewriteNameFields) as never;
    }
    return result as never;
  }
}

function rewriteNameFields(result: pg.QueryResult): pg.QueryResult {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === 19) field.dataTypeID = 25;
  }
  return result;
}

export function createPool(url: string, options: { max?: number; timeoutMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.timeoutMs ?? 5_000,
    // A query that hangs (a cut connection, a lock) fails the request instead of holding it.
    statement_timeout: options.timeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection the server closes (a restart, a cut, pg_terminate_backend) is
  // reported on the pool; with no listener Node would crash the process. The pool has
  // already dropped it, and the next query opens a new one or fails with its own error.
  pool.on('error', () => {});
  return pool;
}
