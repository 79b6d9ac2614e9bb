import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@simpul/bus';
import { databaseName, dropDatabase } from '@simpul/kit';
import { connectTestBus, requestService, testNatsUrl, testServerUrl, uniqueSuffix, type GraphQLResponse } from '@simpul/testing';
import { databaseUrl } from '../../src/db.ts';
import { readEnvironment, type IdentityEnvironment } from '../../src/environment.ts';
import { startIdentityService, type IdentityService, type IdentityServiceOptions } from '../../src/service.ts';

export interface TestSettings {
  env: IdentityEnvironment;
  /** Removes the state directory and the database. */
  cleanUp(): Promise<void>;
}

/** Settings for one test file: its own database, NATS namespace and state directory. */
export async function testSettings(overrides: Record<string, string> = {}): Promise<TestSettings> {
  const id = uniqueSuffix();
  const stateDir = await mkdtemp(join(tmpdir(), 'simpul-identity-'));
  // The service creates the database itself (ensureDatabase), as it does in production.
  const url = `${testServerUrl()}/simpul_identity_test_${id}`;
  const env = readEnvironment({
    DATABASE_URL: url,
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: `t${id}`,
    SIMPUL_STATE_DIR: stateDir,
    // Unexpected resolver errors are logged at error level; they should show in test output.
    LOG_LEVEL: 'error',
    ...overrides,
  });
  // The database the service really uses: an override (e.g. through a TCP proxy) names
  // another one, which is dropped on the server itself (issue 16: the database-outage
  // test's database was left behind).
  const used = `${testServerUrl()}/${databaseName(databaseUrl(env))}`;
  return {
    env,
    async cleanUp() {
      await rm(stateDir, { recursive: true, force: true });
      await dropDatabase(used);
    },
  };
}

export interface TestIdentity {
  service: IdentityService;
  env: IdentityEnvironment;
  /** A separate NATS connection, playing the gateway. */
  client: NatsConnection;
  /** The password of `admin` and of every demo user. */
  password: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
  gql<TData = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<TData>>;
  /** Logs in and returns the token, failing the test when login fails. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts identity in demo mode against real PostgreSQL and NATS, with short login
 * delays so lock-out tests stay quick.
 */
export async function startTestIdentity(overrides: Record<string, string> = {}, options: IdentityServiceOptions = {}): Promise<TestIdentity> {
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const settings = await testSettings({ SIMPUL_DEMO: 'true', SIMPUL_ADMIN_PASSWORD: password, ...overrides });
  const service = await startIdentityService(settings.env, { loginDelays: { baseDelayMs: 5, maxDelayMs: 20 }, outboxIntervalMs: 200, ...options }).catch(
    async (error: unknown) => {
      await settings.cleanUp(); // a start that failed half-way may have made the database
      throw error;
    },
  );
  const client = await connectTestBus(settings.env.NATS_URL);
  const gql: TestIdentity['gql'] = (query, variables, token) => requestService(client, service.subjects, 'identity', query, variables, token);
  return {
    service,
    env: settings.env,
    client,
    password,
    gql,
    async login(username, pw = password) {
      const result = await gql<{ login: { token: string } }>('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', {
        u: username,
        p: pw,
      });
      const token = result.data?.login.token;
      if (!token) throw new Error(`login of ${username} failed: ${JSON.stringify(result.errors)}`);
      return token;
    },
    async close() {
      await service.stop();
      // The test namespace's event stream would otherwise stay on the shared nats-server.
      await client.request(`$JS.API.STREAM.DELETE.${service.subjects.eventStream}`, undefined, { timeout: 5_000 }).catch(() => undefined);
      await client.close();
      await settings.cleanUp();
    },
  };
}
