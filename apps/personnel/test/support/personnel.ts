import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { NatsConnection } from '@simpul/bus';
import type { Role } from '@simpul/contracts';
import { DEMO_AGENCIES } from '@simpul/contracts/demo';
import { createTokenVerifier, dropDatabase, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@simpul/kit';
import { connectTestBus, requestService, testNatsUrl, testServerUrl, uniqueSuffix, type GraphQLResponse } from '@simpul/testing';
import { readEnvironment } from '../../src/environment.ts';
import { staticDirectory } from '../../src/organisation/directory.ts';
import { startPersonnelService, type PersonnelService } from '../../src/service.ts';

/** The tests' "now": 29 November 2026, 10:00 WIB, so date rules never drift with the calendar. */
export const TEST_NOW = Date.parse('2026-11-29T03:00:00Z');
export const TODAY = '2026-11-29';

export interface Caller {
  username: string;
  agency: string;
  roles: Role[];
  kind?: 'user' | 'client';
}

export interface TestPersonnel {
  service: PersonnelService;
  client: NatsConnection;
  /** A token for this caller, signed with the test key personnel trusts. */
  token(caller: Caller): Promise<string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
  gql<TData = any>(query: string, variables?: Record<string, unknown>, as?: Caller): Promise<GraphQLResponse<TData>>;
  close(): Promise<void>;
}

/**
 * Personnel on its own database and NATS namespace. Identity is not running: tokens are
 * signed with a key made here, and agencies and units come from the demo list.
 */
export async function startTestPersonnel(overrides: Record<string, string> = {}): Promise<TestPersonnel> {
  const id = uniqueSuffix();
  const url = `${testServerUrl()}/simpul_personnel_test_${id}`;
  const env = readEnvironment({ DATABASE_URL: url, NATS_URL: testNatsUrl(), SIMPUL_NAMESPACE: `t${id}`, LOG_LEVEL: 'error', ...overrides });
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' };
  const service = await startPersonnelService(env, {
    verifier: createTokenVerifier({ fetchJwks: async () => ({ keys: [jwk] }) }),
    directory: staticDirectory(DEMO_AGENCIES),
    outboxIntervalMs: 200,
    now: () => TEST_NOW,
  });
  const client = await connectTestBus(env.NATS_URL);
  const tokens = new Map<string, Promise<string>>();
  const token = (caller: Caller) => {
    const key = JSON.stringify(caller);
    let signed = tokens.get(key);
    if (!signed) {
      signed = new SignJWT({ kind: caller.kind ?? 'user', username: caller.username, agency: caller.agency, roles: caller.roles })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test' })
        .setSubject(`id-${caller.username}`)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      tokens.set(key, signed);
    }
    return signed;
  };
  return {
    service,
    client,
    token,
    async gql(query, variables = {}, as) {
      return requestService(client, service.subjects, 'personnel', query, variables, as ? await token(as) : undefined);
    },
    async close() {
      await service.stop();
      await client.request(`$JS.API.STREAM.DELETE.${service.subjects.eventStream}`, undefined, { timeout: 5_000 }).catch(() => undefined);
      await client.close();
      await dropDatabase(url);
    },
  };
}

/** Callers the tests use, by what they are. */
export const CALLERS = {
  national: { username: 'admin', agency: 'KEMENPANRB', roles: ['NATIONAL_ADMIN'] },
  auditor: { username: 'auditor', agency: 'KEMENPANRB', roles: ['AUDITOR'] },
  hrBkn: { username: 'hr.bkn', agency: 'BKN', roles: ['HR_OFFICER'] },
  hrBanyuwangi: { username: 'hr.banyuwangi', agency: 'KAB-BANYUWANGI', roles: ['HR_OFFICER'] },
  adminBkn: { username: 'admin.bkn', agency: 'BKN', roles: ['AGENCY_ADMIN'] },
  recordsBkn: { username: 'arsip.bkn', agency: 'BKN', roles: ['RECORDS_OFFICER'] },
  employeeBkn: { username: 'pegawai.bkn', agency: 'BKN', roles: ['EMPLOYEE'] },
} satisfies Record<string, Caller>;

export { errorCodes } from '@simpul/testing';
