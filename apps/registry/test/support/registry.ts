import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { serveJwks, type NatsConnection } from '@simpul/bus';
import type { Role } from '@simpul/contracts';
import { dropDatabase, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@simpul/kit';
import { connectTestBus, removeNamespaceStreams, requestService, testNatsUrl, testServerUrl, uniqueSuffix, type GraphQLResponse } from '@simpul/testing';
import { readEnvironment, type RegistryEnvironment } from '../../src/environment.ts';
import { startRegistryService, type RegistryService } from '../../src/service.ts';
import { staticClientDirectory } from '../../src/event-catalogue/client-directory.ts';

/** API client ids identity (not running here) would not know, or knows as revoked; every other id is an active client. */
export const UNKNOWN_CLIENT = 'sc_999999999999999999999999';
export const REVOKED_CLIENT = 'sc_888888888888888888888888';
const testClients = staticClientDirectory((clientId) =>
  clientId === UNKNOWN_CLIENT ? null : { agencyCode: 'KOTA-SURABAYA', revokedAt: clientId === REVOKED_CLIENT ? '2026-12-01T00:00:00.000Z' : null },
);

export interface TestUser {
  username: string;
  agencyCode: string;
  roles: Role[];
  /** An API client's token when 'client' (username is then its client id). */
  kind?: 'user' | 'client';
}

export const NATIONAL_ADMIN: TestUser = { username: 'admin', agencyCode: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] };
export const BANYUWANGI_ADMIN: TestUser = { username: 'admin.kab-banyuwangi', agencyCode: 'KAB-BANYUWANGI', roles: ['AGENCY_ADMIN'] };
export const SURABAYA_ADMIN: TestUser = { username: 'admin.kota-surabaya', agencyCode: 'KOTA-SURABAYA', roles: ['AGENCY_ADMIN'] };
export const EMPLOYEE: TestUser = { username: 'pegawai.kominfo', agencyCode: 'KOMINFO', roles: ['EMPLOYEE'] };

export interface TestRegistry {
  service: RegistryService;
  env: RegistryEnvironment;
  client: NatsConnection;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
  gql<TData = any>(query: string, variables?: Record<string, unknown>, user?: TestUser): Promise<GraphQLResponse<TData>>;
  /** The caller's signed token, for requests other than GraphQL. */
  tokenFor(user: TestUser): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the registry against real PostgreSQL and NATS, in a database and namespace of
 * its own. Identity is not started: this harness answers identity's JWKS subject with a
 * test key, so tokens are real EdDSA tokens the service verifies as usual.
 */
export async function startTestRegistry(overrides: Record<string, string> = {}): Promise<TestRegistry> {
  const id = uniqueSuffix();
  const namespace = `t${id}`;
  const url = `${testServerUrl()}/simpul_registry_test_${id}`;
  const env = readEnvironment({ DATABASE_URL: url, NATS_URL: testNatsUrl(), SIMPUL_NAMESPACE: namespace, LOG_LEVEL: 'error', ...overrides });
  const client = await connectTestBus(env.NATS_URL);
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-identity', alg: 'EdDSA', use: 'sig' };
  const service = await startRegistryService(env, { outboxIntervalMs: 200, clients: testClients });
  const jwks = serveJwks(client, service.subjects, async () => ({ keys: [jwk] }));
  const tokens = new Map<string, Promise<string>>();
  const token = (user: TestUser) => {
    let t = tokens.get(user.username);
    if (!t) {
      t = new SignJWT({ kind: user.kind ?? 'user', username: user.username, agency: user.agencyCode, roles: user.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-identity' })
        .setSubject(`user-${user.username}`)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('15m')
        .sign(privateKey);
      tokens.set(user.username, t);
    }
    return t;
  };
  return {
    service,
    env,
    client,
    tokenFor: token,
    gql: async (query, variables, user) => requestService(client, service.subjects, 'registry', query, variables, user ? await token(user) : undefined),
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
