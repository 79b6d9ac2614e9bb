import { applyMigrations, ensureDatabase } from '@simpul/kit';
import { databaseUrl, openDatabase, type Database } from '../../src/db.ts';
import { MIGRATIONS_DIR } from '../../src/service.ts';
import { testSettings, type TestSettings } from './identity.ts';

export interface TestDatabase extends Database, TestSettings {}

/** A fresh, migrated identity database for tests that need no NATS. */
export async function startTestDatabase(overrides: Record<string, string> = {}): Promise<TestDatabase> {
  const settings = await testSettings(overrides);
  const url = databaseUrl(settings.env);
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  const database = openDatabase(url, { poolSize: 4 });
  return {
    ...settings,
    ...database,
    async cleanUp() {
      await database.close();
      await settings.cleanUp();
    },
  };
}
