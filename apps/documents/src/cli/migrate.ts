// Creates documents's database when missing and applies pending migrations.
import { applyMigrations, ConfigError, ensureDatabase } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';

try {
  const url = databaseUrl(readEnvironment());
  const name = new URL(url).pathname.slice(1);
  const created = await ensureDatabase(url);
  console.log(created === 'created' ? `Created database ${name}` : `Database ${name} exists`);
  const applied = await applyMigrations(url, MIGRATIONS_DIR);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'No pending migrations');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
