import { serveJwks, type NatsConnection } from '@simpul/bus';
import { dropDatabase } from '@simpul/kit';
import {
  connectTestBus,
  createTestTokenIssuer,
  removeNamespaceStreams,
  requestService,
  testNatsUrl,
  testServerUrl,
  uniqueSuffix,
  type GraphQLResponse,
  type TestCaller,
} from '@simpul/testing';
import { readEnvironment, type TelemetryEnvironment } from '../../src/environment.ts';
import { startTelemetryService, type TelemetryService } from '../../src/service.ts';

export const OPERATOR: TestCaller = { username: 'operator', agencyCode: 'KEMENPANRB', roles: ['OPERATOR'] };
export const NATIONAL_ADMIN: TestCaller = { username: 'admin', agencyCode: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] };
export const AUDITOR: TestCaller = { username: 'auditor', agencyCode: 'BPK', roles: ['AUDITOR'] };
/** Everybody else: none of them may see any telemetry. */
export const OTHERS: TestCaller[] = [
  { username: 'admin.kominfo', agencyCode: 'KOMINFO', roles: ['AGENCY_ADMIN'] },
  { username: 'hr', agencyCode: 'KOMINFO', roles: ['HR_OFFICER'] },
  { username: 'tu', agencyCode: 'KOMINFO', roles: ['RECORDS_OFFICER'] },
  { username: 'pegawai', agencyCode: 'KOMINFO', roles: ['EMPLOYEE'] },
  { username: 'system', agencyCode: 'KOMINFO', roles: ['API_CLIENT'], kind: 'client' },
  { username: 'reviewer', agencyCode: 'KEMENPANRB', roles: ['DUPLICATE_REVIEWER'] },
];

export interface TestTelemetry {
  service: TelemetryService;
  env: TelemetryEnvironment;
  client: NatsConnection;
  /** Base URL of the OTLP receiver. */
  otlpUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
  gql<TData = any>(query: string, variables?: Record<string, unknown>, caller?: TestCaller): Promise<GraphQLResponse<TData>>;
  token(caller: TestCaller): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the telemetry service against real PostgreSQL and NATS, in a database and
 * namespace of its own, with its OTLP receiver on a free port. Identity is not started:
 * a test key answers its JWKS subject. The sweeper runs only when a test asks
 * (TELEMETRY_SWEEP_MS is long), so the keep decision happens when the test says.
 */
export async function startTestTelemetry(overrides: Record<string, string> = {}): Promise<TestTelemetry> {
  const id = uniqueSuffix();
  const namespace = `t${id}`;
  const url = `${testServerUrl()}/simpul_telemetry_test_${id}`;
  const env = readEnvironment({
    DATABASE_URL: url,
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: namespace,
    LOG_LEVEL: 'error',
    OTLP_PORT: '0',
    TELEMETRY_SWEEP_MS: '3600000',
    TELEMETRY_SETTLE_MS: '0',
    ...overrides,
  });
  const client = await connectTestBus(env.NATS_URL);
  const issuer = await createTestTokenIssuer();
  const service = await startTelemetryService(env, { outboxIntervalMs: 200, snapshotIntervalMs: 3_600_000 });
  const jwks = serveJwks(client, service.subjects, async () => issuer.jwks);
  return {
    service,
    env,
    client,
    otlpUrl: service.otlp.url,
    token: (caller) => issuer.sign(caller),
    gql: async (query, variables, caller) =>
      requestService(client, service.subjects, 'telemetry', query, variables, caller ? await issuer.sign(caller) : undefined),
    async close() {
      jwks.unsubscribe();
      await service.stop();
      await client.close();
      await removeNamespaceStreams(namespace);
      await dropDatabase(url);
    },
  };
}

export { errorCodes, eventually } from '@simpul/testing';
