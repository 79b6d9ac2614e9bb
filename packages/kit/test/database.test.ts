import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../src/migrations.ts';
import { createPool, databaseName, dropDatabase, ensureDatabase, serviceDatabaseUrl } from '../src/database.ts';

const server = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432';
const url = serviceDatabaseUrl(server, `kit_test_${Date.now().toString(36)}`);

afterAll(async () => {
  await dropDatabase(url);
});

describe(serviceDatabaseUrl.name, () => {
  it('adds the service database to a server URL and keeps a full URL', () => {
    expect(serviceDatabaseUrl('postgresql://postgres@127.0.0.1:5432', 'identity')).toBe('postgresql://postgres@127.0.0.1:5432/simpul_identity');
    expect(serviceDatabaseUrl('postgresql://u:p@db:5432/mine?sslmode=disable', 'identity')).toBe('postgresql://u:p@db:5432/mine?sslmode=disable');
    expect(() => databaseName('postgresql://x/a;drop')).toThrow(/Unsupported database name/);
  });

  it('names the database after the namespace, so a second platform beside the first gets its own (issue 16)', () => {
    expect(serviceDatabaseUrl('postgresql://postgres@127.0.0.1:5432', 'identity', 'simpul')).toBe('postgresql://postgres@127.0.0.1:5432/simpul_identity');
    expect(serviceDatabaseUrl('postgresql://postgres@127.0.0.1:5432/', 'identity', 'foo')).toBe('postgresql://postgres@127.0.0.1:5432/foo_identity');
    expect(serviceDatabaseUrl('postgresql://postgres@127.0.0.1:5432/mine', 'identity', 'foo')).toBe('postgresql://postgres@127.0.0.1:5432/mine');
  });
});

describe('databases and migrations on the real PostgreSQL', () => {
  it('creates a database once, even when asked concurrently', async () => {
    const outcomes = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect(await ensureDatabase(url)).toBe('existed');
  });

  it('applies new migrations in order, once, and refuses an edited one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    const write = async (name: string, sql: string) => {
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'migration.sql'), sql);
    };
    await write('20260101000000_a', 'CREATE TABLE a (id int primary key);');
    await write('20260102000000_b', 'INSERT INTO a VALUES (1);');
    expect(await applyMigrations(url, dir)).toEqual(['20260101000000_a', '20260102000000_b']);
    expect(await applyMigrations(url, dir)).toEqual([]);

    await write('20260103000000_bad', 'INSERT INTO a VALUES (2); SELECT nope;');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/20260103000000_bad failed/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // The failed migration left nothing behind.
    expect((await client.query('SELECT count(*)::int AS n FROM a')).rows[0].n).toBe(1);
    const recorded = await client.query('SELECT migration_name, length(checksum) AS l FROM "_prisma_migrations" ORDER BY migration_name');
    expect(recorded.rows).toEqual([
      { migration_name: '20260101000000_a', l: 64 },
      { migration_name: '20260102000000_b', l: 64 },
    ]);
    await client.end();

    await write('20260103000000_bad', 'SELECT 1;');
    await write('20260101000000_a', 'CREATE TABLE a (id bigint primary key);');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('survives the server closing an idle pooled connection, and the next query reconnects', async () => {
    await ensureDatabase(url);
    const pool = createPool(url, { max: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      // Terminated while idle in the pool: without the pool's error listener this
      // 'error' event would be unhandled and end the whole process.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.end();
      await new Promise((r) => setTimeout(r, 200));
      const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(again.rows[0]!.pid).not.toBe(pid);
    } finally {
      await pool.end();
    }
  });

  it('says clearly when PostgreSQL is unreachable', async () => {
    await expect(ensureDatabase('postgresql://postgres@127.0.0.1:1/simpul_x')).rejects.toThrow(/PostgreSQL is unreachable at 127.0.0.1:1/);
  });
});
