import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { serveJwks, type NatsConnection } from '@simpul/bus';
import type { Role } from '@simpul/contracts';
import { DEMO_AGENCIES } from '@simpul/contracts/demo';
import { dropDatabase, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@simpul/kit';
import { connectTestBus, removeNamespaceStreams, requestService, testNatsUrl, testServerUrl, uniqueSuffix, type GraphQLResponse } from '@simpul/testing';
import { readEnvironment, type DocumentsEnvironment } from '../../src/environment.ts';
import { startDocumentsService, type DocumentsService, type DocumentsServiceOptions } from '../../src/service.ts';
import type { EmployeeFacts } from '../../src/employees/employee-store.ts';

export interface TestUser {
  username: string;
  agencyCode: string;
  roles?: Role[];
}

export interface TestDocuments {
  service: DocumentsService;
  env: DocumentsEnvironment;
  /** A separate NATS connection, playing the gateway (and identity's JWKS responder). */
  client: NatsConnection;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
  gql<TData = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<TData>>;
  /** A token identity would issue for this user (signed by a key this harness publishes as identity's JWKS). */
  token(user: TestUser): Promise<string>;
  /** Puts employees in the read model, as personnel's events would. */
  addEmployees(employees: EmployeeFacts[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the documents service against real PostgreSQL and NATS, in a database and
 * namespace of its own. Identity is not started: this harness answers identity's JWKS
 * subject with a test key, so tokens are real EdDSA tokens the service verifies as usual.
 */
export async function startTestDocuments(overrides: Record<string, string> = {}, options: DocumentsServiceOptions = {}): Promise<TestDocuments> {
  const id = uniqueSuffix();
  const namespace = `t${id}`;
  const url = `${testServerUrl()}/simpul_documents_test_${id}`;
  // A state directory of its own: the generated master key stays out of the user's ~/.simpul.
  const stateDir = await mkdtemp(join(tmpdir(), 'simpul-documents-'));
  const env = readEnvironment({
    DATABASE_URL: url,
    NATS_URL: testNatsUrl(),
    SIMPUL_NAMESPACE: namespace,
    SIMPUL_STATE_DIR: stateDir,
    LOG_LEVEL: 'error',
    ...overrides,
  });
  const client = await connectTestBus(env.NATS_URL);
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-identity', alg: 'EdDSA', use: 'sig' };
  const service = await startDocumentsService(env, { outboxIntervalMs: 200, ...options });
  const jwks = serveJwks(client, service.subjects, async () => ({ keys: [jwk] }));
  // The demo agencies, as identity's agency.created events would announce them.
  for (const agency of DEMO_AGENCIES) await service.stores.agencies.apply(service.prisma, agency);
  const gql: TestDocuments['gql'] = (query, variables, token) => requestService(client, service.subjects, 'documents', query, variables, token);
  return {
    service,
    env,
    client,
    gql,
    token: (user) =>
      new SignJWT({ kind: 'user', username: user.username, agency: user.agencyCode, roles: user.roles ?? ['EMPLOYEE'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-identity' })
        .setSubject(`user-${user.username}`)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey),
    async addEmployees(employees) {
      for (const e of employees) await service.stores.employees.upsert(service.prisma, e);
    },
    async close() {
      jwks.unsubscribe();
      await service.stop();
      await client.close();
      await removeNamespaceStreams(namespace);
      await dropDatabase(url);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

let nipCounter = 0;
/** A NIP-shaped number unique in this process (18 digits). */
export function testNip(): string {
  nipCounter++;
  return `19800101200501${String(1000 + nipCounter).padStart(4, '0')}`;
}

export { errorCodes } from '@simpul/testing';
