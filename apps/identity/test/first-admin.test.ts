import { stat, readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { subjectsFor } from '@simpul/contracts';
import { ConfigError, type Logger } from '@simpul/kit';
import { verifyPassword } from '../src/auth/password.ts';
import { AgencyStore } from '../src/agencies/agency-store.ts';
import { UserStore } from '../src/users/user-store.ts';
import { ensureFirstAdmin } from '../src/users/first-admin.ts';
import { adminPasswordFile } from '../src/demo-password.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await startTestDatabase();
});
afterAll(async () => {
  await db?.cleanUp();
});
afterEach(async () => {
  await db.prisma.user.deleteMany();
});

function deps(env: { SIMPUL_ADMIN_PASSWORD?: string; SIMPUL_DEMO: boolean }) {
  const logger = { warn: vi.fn(), info: vi.fn() };
  return {
    logger,
    deps: {
      env: { ...env, SIMPUL_STATE_DIR: db.env.SIMPUL_STATE_DIR },
      users: new UserStore(db.prisma),
      agencies: new AgencyStore(db.prisma),
      subjects: subjectsFor('tadmin'),
      logger: logger as unknown as Logger,
    },
  };
}

describe(ensureFirstAdmin.name, () => {
  it('refuses to start without SIMPUL_ADMIN_PASSWORD outside demo mode', async () => {
    const error = await ensureFirstAdmin(deps({ SIMPUL_DEMO: false }).deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('SIMPUL_ADMIN_PASSWORD');
    expect(await db.prisma.user.count()).toBe(0);
  });

  it('creates admin in KEMENPANRB with SIMPUL_ADMIN_PASSWORD, never logging it, and later leaves it alone', async () => {
    const { deps: d, logger } = deps({ SIMPUL_DEMO: false, SIMPUL_ADMIN_PASSWORD: 'from the environment' });
    expect(await ensureFirstAdmin(d)).toBe('created');
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect([admin.agencyCode, admin.roles]).toEqual(['KEMENPANRB', ['NATIONAL_ADMIN']]);
    expect(await verifyPassword('from the environment', admin.passwordHash!)).toBe(true);
    expect(JSON.stringify([logger.warn.mock.calls, logger.info.mock.calls])).not.toContain('from the environment');
    expect(await db.prisma.outboxEvent.count({ where: { type: 'identity.agency.created' } })).toBe(1);

    const changed = deps({ SIMPUL_DEMO: false, SIMPUL_ADMIN_PASSWORD: 'a different password' }).deps;
    expect(await ensureFirstAdmin(changed)).toBe('existed');
    const after = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect(after.passwordHash).toBe(admin.passwordHash);
  });

  it('in demo mode generates a password, logs it once and writes it to the state directory (0600)', async () => {
    const { deps: d, logger } = deps({ SIMPUL_DEMO: true });
    expect(await ensureFirstAdmin(d)).toBe('created');
    const file = adminPasswordFile(db.env.SIMPUL_STATE_DIR);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    expect(await verifyPassword(password, admin.passwordHash!)).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]?.[1])).toContain(password);

    expect(await ensureFirstAdmin(deps({ SIMPUL_DEMO: true }).deps)).toBe('existed');
    expect((await readFile(file, 'utf8')).trim()).toBe(password);
  });
});
