import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Logger } from '@simpul/kit';
import { decodeJsonTraces } from './json.ts';
import { decodeProtobufTraces } from './protobuf.ts';
import { OtlpDecodeError, type ReceivedSpan } from './received-span.ts';

export interface OtlpReceiverOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /** Stores what was received; the request is answered once it resolves. */
  accept: (spans: ReceivedSpan[]) => Promise<unknown>;
  /** Exports stored at once (the rest wait): the database pool keeps room for the graph and health. */
  maxConcurrentStores?: number;
  /** Exports waiting beyond this get 503 (exporters retry later, or drop): memory stays bounded. */
  maxWaiting?: number;
  logger: Logger;
}

export interface OtlpReceiver {
  server: Server;
  /** Base URL (what OTEL_EXPORTER_OTLP_ENDPOINT / SIMPUL_TELEMETRY_URL take). */
  url: string;
  close(): Promise<void>;
}

/**
 * OTLP/HTTP trace receiver: `POST /v1/traces` with `application/x-protobuf` or
 * `application/json`, optionally gzip-compressed, as the OpenTelemetry SDKs and the
 * Collector send. Answers as the OTLP/HTTP specification says: 200 with an empty
 * ExportTraceServiceResponse, 400 for an undecodable body (not retried by exporters),
 * 413/415 for too large or of another type. It runs on the telemetry service's own
 * port, not behind the gateway, so a flood of spans never competes with GraphQL.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const { logger } = options;
  const slots = new Slots(options.maxConcurrentStores ?? 2, options.maxWaiting ?? 50);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'OTLP request failed');
      if (!res.headersSent) reply(res, 500, 'application/json', JSON.stringify({ message: 'Could not store the spans' }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return reply(res, 200, 'application/json', '{"status":"ok"}');
    if (path !== '/v1/traces') return reply(res, 404, 'application/json', JSON.stringify({ message: 'Only POST /v1/traces is served here' }));
    if (req.method !== 'POST') return reply(res, 405, 'application/json', JSON.stringify({ message: 'Use POST' }), { allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const protobuf = type === 'application/x-protobuf' || type === 'application/protobuf';
    if (!protobuf && type !== 'application/json') {
      req.resume();
      return reply(res, 415, 'application/json', JSON.stringify({ message: 'Content-Type must be application/x-protobuf or application/json' }));
    }
    const body = await readBody(req, options.maxBodyBytes);
    if (body === null) return reply(res, 413, 'application/json', JSON.stringify({ message: `Body larger than ${options.maxBodyBytes} bytes` }));
    let spans: ReceivedSpan[];
    try {
      const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(body, { maxOutputLength: options.maxBodyBytes }) : body;
      spans = protobuf ? decodeProtobufTraces(raw) : decodeJsonTraces(JSON.parse(raw.toString('utf8')));
    } catch (error) {
      const message = error instanceof OtlpDecodeError || error instanceof SyntaxError ? error.message : 'Undecodable body';
      return reply(res, 400, protobuf ? 'application/json' : 'application/json', JSON.stringify({ message: `Not an OTLP trace export: ${message}` }));
    }
    if (!(await slots.acquire())) {
      return reply(res, 503, 'application/json', JSON.stringify({ message: 'Too many exports waiting; try again later' }), { 'retry-after': '2' });
    }
    try {
      await options.accept(spans);
    } finally {
      slots.release();
    }
    // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
    return protobuf ? reply(res, 200, 'application/x-protobuf', Buffer.alloc(0)) : reply(res, 200, 'application/json', '{}');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url: `${url}/v1/traces` }, 'receiving OTLP traces');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** A counting semaphore that refuses, rather than queues, beyond `maxWaiting`. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly maxWaiting: number,
  ) {}
  async acquire(): Promise<boolean> {
    if (this.active < this.size) {
      this.active++;
      return true;
    }
    if (this.waiting.length >= this.maxWaiting) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(body);
}
