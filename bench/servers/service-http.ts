// One service's GraphQL over HTTP, which only the benchmark starts: Hive Gateway reaches
// subgraphs over HTTP, and the services speak GraphQL over NATS only. The service's own
// runtime, schema, resolvers and context run in this process (see in-process-services.ts),
// answering POST /graphql through the responder's in-process entry: the same document
// cache, token check and execution as a NATS request, with HTTP in place of NATS.
//   node --import tsx bench/servers/service-http.ts <service> <port>
import { createServer } from 'node:http';
import { bearerToken } from '@simpul/kit';
import { initTelemetry } from '@simpul/telemetry';
import { BENCH_SERVICES, type BenchService } from '../scenarios.ts';
import type { GraphQLRequestPayload } from '@simpul/bus';

const [name = '', portText = '4200'] = process.argv.slice(2);
if (!(BENCH_SERVICES as readonly string[]).includes(name)) throw new Error(`unknown service ${name}`);
// Tracing as every service process sets it up (kit's runProcess), Prisma's instrumentation included.
initTelemetry({ serviceName: name, otlpEndpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT });
// Imported after tracing is set up, so that Prisma's queries are traced (as in each service's main.ts).
const { startInProcess } = await import('./in-process-services.ts');
const { services, verifier, stop } = await startInProcess([name as BenchService]);
const { responder } = services.get(name as BenchService)!;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      let body: unknown;
      try {
        const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLRequestPayload;
        const token = bearerToken(req.headers.authorization);
        let principal = null;
        try {
          principal = token ? await verifier.verify(token) : null;
        } catch (error) {
          body = { errors: [{ message: (error as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] };
        }
        body ??= await responder.executeInProcess(payload, principal, { clientAddress: req.socket.remoteAddress ?? null });
      } catch (error) {
        body = { errors: [{ message: (error as Error).message, extensions: { code: 'BAD_REQUEST' } }] };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })();
  });
});
server.listen(Number(portText), '127.0.0.1', () => console.log(`${name} over HTTP ready on ${portText}`));
process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
