import { describe, expect, it } from 'vitest';
import { ensureDatabase } from '@simpul/kit';
import { queryDatabase, testServerUrl, uniqueSuffix } from '@simpul/testing';
import { testSettings } from './support/identity.ts';

async function exists(name: string): Promise<boolean> {
  const rows = await queryDatabase(`${testServerUrl()}/postgres`, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

// Issue 16: a `simpul_identity_test_…` database was left on the shared server. The
// database-outage test gives identity a DATABASE_URL of its own (through a TCP proxy),
// and the clean-up dropped the default one instead.
describe("the test harness's clean-up", () => {
  it('drops the database the service was given, also when a test overrides DATABASE_URL', async () => {
    const name = `simpul_identity_test_${uniqueSuffix()}`;
    const settings = await testSettings({ DATABASE_URL: `${testServerUrl()}/${name}` });
    await ensureDatabase(settings.env.DATABASE_URL); // as the service does at start
    expect(await exists(name)).toBe(true);
    await settings.cleanUp();
    expect(await exists(name)).toBe(false);
  });
});
