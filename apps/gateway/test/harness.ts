import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { connectBus, serveGraphQL, serveJwks, stitchingDirectivesTypeDefs, type NatsConnection, type ServiceExchange } from '@simpul/bus';
import { subjectsFor, type Role, type ServiceName } from '@simpul/contracts';
import { createLogger, createTokenVerifier, TOKEN_AUDIENCE, TOKEN_ISSUER, type Principal } from '@simpul/kit';
import { testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { createGateway, type Gateway } from '../src/gateway.ts';
import { gatewayEnvironmentSchema } from '../src/environment.ts';

export const logger = createLogger('test', 'silent');

/** An Ed25519 key pair standing in for identity's signing key. */
export async function createSigningKey(kid = 'test-key') {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    sign: (claims: { sub?: string; username?: string; agency?: string; roles?: Role[] } = {}, expiresIn: string | number = '15m') =>
      new SignJWT({ kind: 'user', username: claims.username ?? 'admin', agency: claims.agency ?? 'KEMENPANRB', roles: claims.roles ?? ['NATIONAL_ADMIN'] })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(claims.sub ?? 'user-1')
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
  };
}

export interface TestService {
  service: ServiceName;
  typeDefs: string;
  resolvers: IResolvers<unknown, { principal: Principal | null }>;
}

/**
 * Real NATS, real gateway, and small real services made for the test: the gateway is
 * what is under test, so the services behind it are stand-ins with known answers.
 */
export async function startHarness(services: TestService[], envOverrides: Record<string, string> = {}) {
  const namespace = uniqueNamespace();
  const subjects = subjectsFor(namespace);
  const key = await createSigningKey();
  const serviceConnection = await connectBus({ url: testNatsUrl(), name: 'test-services' });
  const jwksSub = serveJwks(serviceConnection, subjects, async () => key.jwks);
  const verifier = createTokenVerifier({ fetchJwks: async () => key.jwks });
  const serve = (s: TestService, nc: NatsConnection = serviceConnection) =>
    serveGraphQL({
      nc,
      subjects,
      service: s.service,
      schema: makeExecutableSchema({ typeDefs: [stitchingDirectivesTypeDefs, s.typeDefs], resolvers: s.resolvers }),
      verifier,
      createContext: (principal) => ({ principal }),
      logger,
    });
  const responders = services.map((s) => serve(s));
  const gatewayConnection = await connectBus({ url: testNatsUrl(), name: 'test-gateway' });
  const requests: ServiceName[] = [];
  const exchanges: ServiceExchange[] = [];
  const env = gatewayEnvironmentSchema.parse({
    SIMPUL_NAMESPACE: namespace,
    GATEWAY_PORT: '0',
    GATEWAY_SERVICES: services.map((s) => s.service).join(','),
    DISCOVERY_WAIT_MS: '5000',
    SERVICE_TIMEOUT_MS: '1000',
    LOG_LEVEL: 'silent',
    ...envOverrides,
  });
  const gateway: Gateway = await createGateway({
    env,
    nc: gatewayConnection,
    logger,
    onServiceRequest: (s, exchange) => {
      requests.push(s);
      exchanges.push(exchange);
    },
  });
  const url = await gateway.listen();
  return {
    url,
    key,
    subjects,
    requests,
    /** What the gateway reported of each NATS request: service, bytes out and in, the operation's context. */
    exchanges,
    gateway,
    serviceConnection: serviceConnection as NatsConnection,
    /** Starts one more stand-in service after the gateway; resolves to its stop function. */
    async startService(service: TestService) {
      const responder = serve(service);
      await serviceConnection.flush();
      return () => responder.stop();
    },
    /**
     * One more instance of a stand-in on a NATS connection of its own. `die()` closes that
     * connection without draining, as a crashed process would: requests it holds are lost.
     */
    async startInstance(service: TestService) {
      const nc = await connectBus({ url: testNatsUrl(), name: `test-${service.service}-instance` });
      const responder = serve(service, nc);
      await nc.flush();
      return {
        get handled() {
          return responder.handled;
        },
        die: () => nc.close(),
      };
    },
    async stop() {
      await gateway.close();
      await Promise.all(responders.map((r) => r.stop()));
      jwksSub.unsubscribe();
      await gatewayConnection.close();
      await serviceConnection.close();
    },
  };
}
