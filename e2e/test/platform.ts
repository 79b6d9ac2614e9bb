import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICES, type ServiceName } from '@simpul/contracts';
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
  /** Every service that exists in apps/, started as its own process. */
  services: ReadonlyMap<ServiceName, StartedProcess>;
  identity: StartedProcess;
  gateway: StartedProcess;
  /** Each service's database URL (as the service was given it). */
  databaseUrls: ReadonlyMap<ServiceName, string>;
  /** Starts one more instance of a service with the same settings (it joins the queue group); stopped by stop(). */
  startInstance(service: ServiceName, env?: Record<string, string>): StartedProcess;
  /** Starts one more gateway on the same services with other settings (e.g. QUERY_PLANS=false); stopped by stop(). */
  startGateway(env?: Record<string, string>): Promise<{ url: string; process: StartedProcess }>;
  stop(): Promise<void>;
}

/** The services whose code exists (a service counts once apps/<name>/package.json does). */
export function presentServices(): ServiceName[] {
  return SERVICES.filter((service) => existsSync(`${root}apps/${service}/package.json`));
}

/**
 * Starts every service and the gateway as real processes, the way `npm start` does,
 * each service on a database of its own and all on a NATS namespace of their own,
 * and waits until the gateway is ready. `services` narrows the set (identity is always needed).
 */
export async function startPlatform(
  extraEnv: Record<string, string> = {},
  options: {
    services?: ServiceName[];
    /** Settings for one service's processes, e.g. a DATABASE_URL through a proxy the test controls. */
    serviceEnv?: (service: ServiceName, databaseUrl: string) => Record<string, string>;
  } = {},
): Promise<Platform> {
  const names = options.services ?? presentServices();
  const databases = await Promise.all(names.map((service) => createTestDatabase(service)));
  const namespace = uniqueNamespace();
  const port = await freePort();
  // Every process sends its spans to this platform's own telemetry service (none when it is not started).
  const otlpPort = await freePort();
  const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: namespace,
    SIMPUL_ADMIN_PASSWORD: adminPassword,
    SIMPUL_DEMO: 'false',
    OTLP_PORT: String(otlpPort),
    SIMPUL_TELEMETRY_URL: names.includes('telemetry') ? `http://127.0.0.1:${otlpPort}` : 'off',
    ...extraEnv,
  };
  const databaseUrls = new Map<ServiceName, string>(names.map((service, i) => [service, (databases[i] as TestDatabase).url]));
  const extraInstances: StartedProcess[] = [];
  const startInstance = (service: ServiceName, instanceEnv: Record<string, string> = {}) => {
    const url = databaseUrls.get(service) as string;
    return startProcess(process.execPath, ['--import', 'tsx', `${root}apps/${service}/src/main.ts`], {
      cwd: `${root}apps/${service}`,
      env: { ...env, DATABASE_URL: url, ...options.serviceEnv?.(service, url), ...instanceEnv },
    });
  };
  const services = new Map<ServiceName, StartedProcess>(names.map((service) => [service, startInstance(service)]));
  const launchGateway = (gatewayPort: number, gatewayEnv: Record<string, string> = {}) =>
    startProcess(process.execPath, ['--import', 'tsx', `${root}apps/gateway/src/main.ts`], {
      cwd: `${root}apps/gateway`,
      env: { ...env, GATEWAY_PORT: String(gatewayPort), GATEWAY_SERVICES: names.join(','), ...gatewayEnv },
    });
  const gateway = launchGateway(port);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([gateway.stop(), ...[...services.values(), ...extraInstances].map((p) => p.stop())]);
    await Promise.all(databases.map((d) => d.drop()));
    await removeNamespaceStreams(namespace);
  };
  try {
    await gateway.waitFor(/gateway listening/, 90_000);
    await waitUntilReady(url, 90_000);
  } catch (error) {
    await stop();
    const logs = [...services].map(([name, p]) => `--- ${name} ---\n${p.output().slice(-3000)}`).join('\n');
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return {
    url,
    adminPassword,
    namespace,
    services,
    identity: services.get('identity') as StartedProcess,
    gateway,
    databaseUrls,
    startInstance(service, instanceEnv) {
      const instance = startInstance(service, instanceEnv);
      extraInstances.push(instance);
      return instance;
    },
    async startGateway(gatewayEnv) {
      const extraPort = await freePort();
      const extra = launchGateway(extraPort, gatewayEnv);
      extraInstances.push(extra);
      const extraUrl = `http://127.0.0.1:${extraPort}`;
      await extra.waitFor(/gateway listening/, 90_000);
      await waitUntilReady(extraUrl, 90_000);
      return { url: extraUrl, process: extra };
    },
    stop,
  };
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
