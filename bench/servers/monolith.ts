// The monolith target: the four services' own schemas, resolvers and contexts served by
// ONE graphql-yoga process over HTTP, joined in process. An operation one service answers
// goes straight to that service's execution; one that spans services is joined by the
// gateway's own query plans (one in-process call per service per level, merged by key),
// so the difference to the gateway is exactly NATS, the extra processes and the second
// token check. No copies of service code: everything is imported from apps/.
//   node --import tsx bench/servers/monolith.ts <port>   (platform settings in the environment)
import { createServer } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Executor } from '@graphql-tools/utils';
import type { ServiceName } from '@simpul/contracts';
import { BENCH_SERVICES } from '../scenarios.ts';
import { bearerToken, createLogger, type Principal } from '@simpul/kit';
import { initTelemetry } from '@simpul/telemetry';
import { stitchExecutors } from '../../apps/gateway/src/stitching/gateway-schema.ts';
import { useQueryPlans } from '../../apps/gateway/src/plugins/query-plans.ts';
import { useSingleServiceRoute } from '../../apps/gateway/src/plugins/single-service.ts';

const port = Number(process.argv[2] ?? 4100);
// Tracing as every service process sets it up (kit's runProcess), Prisma's instrumentation included,
// so that the monolith pays what the services pay.
initTelemetry({ serviceName: 'monolith', otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });
// Imported after tracing is set up, so that Prisma's queries are traced (as in each service's main.ts).
const { startInProcess } = await import('./in-process-services.ts');
const { services, verifier, stop } = await startInProcess(BENCH_SERVICES);

interface MonolithContext {
  principal: Principal | null;
}
const executors = new Map<ServiceName, { schema: GraphQLSchema; executor: Executor }>(
  [...services].map(([name, service]) => [
    name,
    {
      schema: service.sdlSchema,
      executor: (async ({ document, variables, operationName, context }) =>
        service.responder.executeInProcess(
          { document, variables: variables as Record<string, unknown>, operationName: operationName ?? null },
          (context as unknown as MonolithContext).principal,
          { clientAddress: null },
        )) as Executor,
    },
  ]),
);
const schemas = stitchExecutors(executors);
const current = { current: schemas };
const yoga = createYoga<object, MonolithContext>({
  schema: schemas.gateway,
  logging: false,
  graphiql: false,
  landingPage: false,
  context: async ({ request }): Promise<MonolithContext> => {
    const token = bearerToken(request.headers.get('authorization'));
    return { principal: token ? await verifier.verify(token) : null };
  },
  plugins: [useQueryPlans(current, createLogger('monolith', 'warn')), useSingleServiceRoute(current)] as Plugin[],
});
createServer(yoga).listen(port, '127.0.0.1', () => console.log(`monolith ready on ${port}`));
process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
