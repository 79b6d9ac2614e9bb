// The Hive Gateway target: Hive Gateway's runtime (@graphql-hive/gateway-runtime, the
// engine of the `hive-gateway` CLI) serving a supergraph that Mesh Compose composes from
// the four services' own SDL (annotated as bench/lib/mesh-subgraph.ts says), each
// subgraph reached over the HTTP endpoint only the benchmark starts (service-http.ts).
// The caller's token is passed on to every subgraph, which verifies it as over NATS.
//   node --import tsx bench/servers/hive-gateway.ts <port> identity=<url> personnel=<url> …
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createIdentitySchema } from '../../apps/identity/src/schema/schema.ts';
import { createPersonnelSchema } from '../../apps/personnel/src/schema/schema.ts';
import { createDocumentsSchema } from '../../apps/documents/src/schema/schema.ts';
import { createRegistrySchema } from '../../apps/registry/src/schema/schema.ts';
import { composeSupergraph } from '../lib/mesh-subgraph.ts';

const schemas = { identity: createIdentitySchema, personnel: createPersonnelSchema, documents: createDocumentsSchema, registry: createRegistrySchema };
const [portText = '4300', ...endpoints] = process.argv.slice(2);
const services = endpoints.map((entry) => {
  const [name = '', url = ''] = entry.split('=');
  if (!(name in schemas)) throw new Error(`unknown service ${name}`);
  return { name, url, schema: schemas[name as keyof typeof schemas]() };
});
const gateway = createGatewayRuntime({
  supergraph: composeSupergraph(services),
  logging: false,
  // A failed subgraph request shows why (the answers are compared before measuring).
  maskedErrors: false,
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const authorization = request.headers.get('authorization');
      return authorization ? { authorization } : {};
    },
  },
});
createServer(gateway).listen(Number(portText), '127.0.0.1', () => console.log(`hive gateway ready on ${portText}`));
process.on('SIGTERM', () => void Promise.resolve(gateway.dispose()).then(() => process.exit(0)));
