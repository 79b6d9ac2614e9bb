import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a process reports about itself: `ok`, or why it cannot serve now. */
export interface ProcessHealth {
  status: string;
  checks?: Record<string, string>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A small HTTP port for orchestrators (Kubernetes probes, Docker's HEALTHCHECK). The
 * services answer their health over NATS, but that request goes to whichever instance
 * of the queue group answers first, so it cannot tell whether *this* process is well;
 * a port of its own can.
 *
 * - `GET /health`: 200 while the process answers at all (liveness: restart it if not).
 * - `GET /ready`: 200 when `ready()` says `ok`, 503 with the report otherwise (readiness:
 *   its NATS connection and, for a service, its database). Without `ready`, as /health.
 *
 * It listens on every interface: a probe comes from outside the container.
 */
export async function startHealthServer(options: { port: number; ready?: (() => Promise<ProcessHealth>) | undefined }): Promise<HealthServer> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'GET only' });
    if (path === '/health') return send(200, { status: 'ok' });
    if (path !== '/ready') return send(404, { error: 'GET /health or /ready' });
    if (!options.ready) return send(200, { status: 'ok' });
    options.ready().then(
      (report) => send(report.status === 'ok' ? 200 : 503, report),
      (error: unknown) => send(503, { status: 'degraded', checks: { health: (error as Error)?.message ?? String(error) } }),
    );
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
