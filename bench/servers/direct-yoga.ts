// The monolith baseline: identity's own schema, resolvers and token check served by
// one graphql-yoga process over HTTP, with no gateway and no NATS hop in between.
import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { createLogger, createTokenVerifier, bearerToken, type Principal } from '@simpul/kit';
import { readEnvironment } from '../../apps/identity/src/environment.ts';
import { startIdentityService } from '../../apps/identity/src/service.ts';
import { createIdentitySchema } from '../../apps/identity/src/schema/schema.ts';
import { createContextFactory } from '../../apps/identity/src/schema/context.ts';

const port = Number(process.argv[2] ?? 4100);
const env = readEnvironment();
// Its own NATS namespace, so it never answers the gateway's requests.
const identity = await startIdentityService({ ...env, SIMPUL_NAMESPACE: `${env.SIMPUL_NAMESPACE}direct` }, { logger: createLogger('direct', 'warn') });
const verifier = createTokenVerifier({ fetchJwks: () => identity.keys.currentJwks() });
const createContext = createContextFactory(identity.managers, identity.stores);
const yoga = createYoga({
  schema: createIdentitySchema(),
  logging: false,
  context: async ({ request }) => {
    const token = bearerToken(request.headers.get('authorization'));
    const principal: Principal | null = token ? await verifier.verify(token) : null;
    return createContext(principal);
  },
});
createServer(yoga).listen(port, '127.0.0.1', () => console.log(`direct yoga ready on ${port}`));
process.on('SIGTERM', () => void identity.stop().then(() => process.exit(0)));
