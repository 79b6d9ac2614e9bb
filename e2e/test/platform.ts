import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  freePort,
  removeNamespaceStreams,
  startProcess,
  testNatsUrl,
  uniqueNamespace,
  type StartedProcess,
  type TestDatabase,
} from '@simpul/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Platform {
  url: string;
  adminPassword: string;
  namespace: string;
  identity: StartedProcess;
  gateway: StartedProcess;
  database: TestDatabase;
  stop(): Promise<void>;
}

/**
 * Starts identity and the gateway as real processes, the way `npm start` does, on a
 * database and NATS namespace of their own, and waits until the gateway is ready.
 */
export async function startPlatform(extraEnv: Record<string, string> = {}): Promise<Platform> {
  const database = await createTestDatabase('identity');
  const namespace = uniqueNamespace();
  const port = await freePort();
  const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: namespace,
    SIMPUL_ADMIN_PASSWORD: adminPassword,
    SIMPUL_DEMO: 'false',
    ...extraEnv,
  };
  const identity = startProcess(process.execPath, ['--import', 'tsx', `${root}apps/identity/src/main.ts`], {
    cwd: `${root}apps/identity`,
    env: { ...env, DATABASE_URL: database.url },
  });
  const gateway = startProcess(process.execPath, ['--import', 'tsx', `${root}apps/gateway/src/main.ts`], {
    cwd: `${root}apps/gateway`,
    env: { ...env, GATEWAY_PORT: String(port), GATEWAY_SERVICES: 'identity' },
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([gateway.stop(), identity.stop()]);
    await database.drop();
    await removeNamespaceStreams(namespace);
  };
  try {
    await gateway.waitFor(/gateway listening/, 90_000);
    await waitUntilReady(url, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- identity ---\n${identity.output().slice(-3000)}`);
  }
  return { url, adminPassword, namespace, identity, gateway, database, stop };
}

async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/ready`);
      last = await res.text();
      if (res.ok) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms: ${last}`);
}
