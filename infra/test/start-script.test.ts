import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, queryDatabase, type TestDatabase } from '@simpul/testing';
import { REPOSITORY_ROOT } from '../build/bundle.ts';

const run = promisify(execFile);

/**
 * `npm start` prepares each service's database with infra/scripts/lib.sh's
 * simpul_prepare_database before it starts the processes. Issue 16 (item 10): with
 * SIMPUL_DEMO=false it loaded the demo data all the same. These tests run that very step
 * on a database of their own and look at what it left there.
 */
async function prepareRegistry(database: TestDatabase, demo: string): Promise<{ stdout: string; stderr: string }> {
  return run('bash', ['-c', 'source infra/scripts/lib.sh && simpul_prepare_database start registry'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: database.url, SIMPUL_DEMO: demo, LOG_LEVEL: 'warn' },
    timeout: 180_000,
  });
}

async function applications(database: TestDatabase): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(database.url, 'SELECT count(*)::int AS n FROM "Application"');
  return row?.n ?? -1;
}

describe("npm start's database step (simpul_prepare_database)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('registry');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('with SIMPUL_DEMO=false migrates the database and loads no demo data', async () => {
    const { stdout } = await prepareRegistry(database, 'false');
    expect(stdout).toContain('no demo data for registry');
    expect(await applications(database)).toBe(0);
  }, 180_000);

  it('with SIMPUL_DEMO=true loads the demo catalogue', async () => {
    await prepareRegistry(database, 'true');
    expect(await applications(database)).toBeGreaterThan(300);
  }, 180_000);

  it('refuses a SIMPUL_DEMO value the services would refuse, before touching anything', async () => {
    const failure = await prepareRegistry(database, 'maybe').then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("SIMPUL_DEMO must be true, false, 1, 0, yes or no (got 'maybe')");
  });
});

// The script is what `npm start` runs; keep the path checked so a rename fails here.
it('npm start uses simpul_prepare_database', async () => {
  const { readFile } = await import('node:fs/promises');
  const script = await readFile(join(REPOSITORY_ROOT, 'infra/scripts/start.sh'), 'utf8');
  expect(script).toMatch(/simpul_prepare_database "\$TAG" "\$s"/);
});
