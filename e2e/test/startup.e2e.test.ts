import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, removeNamespaceStreams, startProcess, uniqueNamespace } from '@simpul/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

const namespaces: string[] = [];
afterAll(async () => {
  for (const namespace of namespaces) await removeNamespaceStreams(namespace);
});

function run(app: 'identity' | 'gateway', env: Record<string, string>) {
  const namespace = uniqueNamespace();
  namespaces.push(namespace);
  return startProcess(process.execPath, ['--import', 'tsx', `${root}apps/${app}/src/main.ts`], {
    cwd: `${root}apps/${app}`,
    env: { ...process.env, SIMPUL_NAMESPACE: namespace, LOG_LEVEL: 'info', ...env },
  });
}

describe('a process that cannot start says why and exits 1', () => {
  it('lists every bad setting at once, by name', async () => {
    const p = run('identity', { TOKEN_TTL_SECONDS: 'soon', LOGIN_MAX_FAILURES: '0', DATABASE_URL: 'mysql://nope' });
    expect(await p.exited).toBe(1);
    const output = p.output();
    for (const name of ['TOKEN_TTL_SECONDS', 'LOGIN_MAX_FAILURES', 'DATABASE_URL']) expect(output).toContain(name);
  });

  it('names the NATS server it cannot reach', async () => {
    const database = await createTestDatabase('identity');
    try {
      const p = run('identity', { NATS_URL: 'nats://127.0.0.1:1', DATABASE_URL: database.url, SIMPUL_ADMIN_PASSWORD: 'a-long-enough-password' });
      expect(await p.exited).toBe(1);
      expect(p.output()).toMatch(/NATS is unreachable at nats:\/\/127\.0\.0\.1:1/);
    } finally {
      await database.drop();
    }
  });

  it('names the PostgreSQL server it cannot reach', async () => {
    const p = run('identity', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1', SIMPUL_ADMIN_PASSWORD: 'a-long-enough-password' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PostgreSQL is unreachable at 127\.0\.0\.1:1/);
  });

  it('refuses to start without an administrator password outside demo mode', async () => {
    const database = await createTestDatabase('identity');
    try {
      const p = run('identity', { DATABASE_URL: database.url, SIMPUL_DEMO: 'false', SIMPUL_ADMIN_PASSWORD: '' });
      expect(await p.exited).toBe(1);
      expect(p.output()).toMatch(/SIMPUL_ADMIN_PASSWORD/);
    } finally {
      await database.drop();
    }
  });

  it('gateway: refuses an unknown service name', async () => {
    const p = run('gateway', { GATEWAY_SERVICES: 'identity,payroll' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/GATEWAY_SERVICES/);
  });
});
