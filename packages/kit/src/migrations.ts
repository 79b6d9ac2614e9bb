import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { ensureDatabase } from './database.ts';
import { ConfigError } from './environment.ts';
import type { Database } from './prisma-database.ts';

/**
 * Applies `prisma/migrations/<name>/migration.sql` files that have not run yet, and
 * records them in `_prisma_migrations` exactly as `prisma migrate deploy` does (same
 * table, SHA-256 checksums), so the Prisma CLI sees the same state.
 *
 * Why not the CLI itself: Prisma 6.19's WebAssembly schema engine keeps a 10-second
 * timer alive after it finishes, so every `migrate deploy` takes ~13 s even with
 * nothing to do, once per service database and once per test database. This runner
 * takes milliseconds. Migrations are still written by `prisma migrate diff`.
 */
export async function applyMigrations(url: string, migrationsDir: string): Promise<string[]> {
  const names = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The same lock id Prisma's schema engine takes, so the CLI and we never interleave.
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(done.rows.map((r) => [r.migration_name, r.checksum]));
    const ran: string[] = [];
    for (const name of names) {
      const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = applied.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new Error(`Migration ${name} was changed after it was applied; write a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      ran.push(name);
    }
    return ran;
  } finally {
    await client.end();
  }
}

/**
 * The `db:migrate` command of every service: creates the database when missing, applies
 * pending migrations, says what it did, and exits non-zero with the reason on failure.
 */
export async function runMigrateCommand(databaseUrl: () => string, migrationsDir: string): Promise<void> {
  try {
    const url = databaseUrl();
    const name = new URL(url).pathname.slice(1);
    const created = await ensureDatabase(url);
    console.log(created === 'created' ? `Created database ${name}` : `Database ${name} exists`);
    const applied = await applyMigrations(url, migrationsDir);
    console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'No pending migrations');
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

export interface SeedCommand<P> {
  databaseUrl: string;
  migrationsDir: string;
  openDatabase: (url: string) => Database<P>;
  /** Loads the demo data (idempotently) and says what it did, in one line. */
  seed: (prisma: P, databaseName: string) => Promise<string>;
}

/**
 * The `db:seed` command of every service: makes sure the database exists and is
 * migrated, runs the service's seed, prints its summary, and exits non-zero with the
 * reason on failure. `prepare` reads the settings, so a bad one is reported the same way.
 */
export async function runSeedCommand<P extends { $disconnect(): Promise<void> }>(prepare: () => SeedCommand<P>): Promise<void> {
  try {
    const command = prepare();
    await ensureDatabase(command.databaseUrl);
    await applyMigrations(command.databaseUrl, command.migrationsDir);
    const database = command.openDatabase(command.databaseUrl);
    try {
      console.log(await command.seed(database.prisma, new URL(command.databaseUrl).pathname.slice(1)));
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
