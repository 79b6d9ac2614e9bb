import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import { AGENCY_EVENTS_PATH, ATTACHMENT_DOWNLOAD_PATH, ErrorCode } from '@simpul/contracts';
import { corsPolicy } from './cors.ts';
import { GRAPHIQL_ASSETS_PATH, serveGraphiQLAsset } from './graphiql-assets.ts';
import { CONSOLE_PATH, isConsolePath, serveConsole } from './console-route.ts';
import { pageKindOf, securityHeaders, type PageKind } from './security-headers.ts';
import { context as otelContext, extractTraceContext, getTracer, SpanKind, SpanStatusCode, trace } from '@simpul/telemetry';

export interface HttpRoutes {
  health: () => unknown;
  /** `GET /attachments/<id>`: streams a document attachment the caller may read. */
  attachment: (req: IncomingMessage, res: ServerResponse, id: string) => Promise<void>;
  ready: () => Promise<{ ready: boolean } & Record<string, unknown>>;
  jwks: () => Promise<unknown>;
  /** `GET /telemetry/live`: the operators' console's live feed (Server-Sent Events). */
  live?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** `POST /events/<type>`: an agency event from an API client (src/agency-events/). */
  events?: (req: IncomingMessage, res: ServerResponse, eventType: string) => Promise<void>;
}

export interface HttpOptions {
  maxBodyBytes: number;
  /** A multipart request (file upload) may be larger by this much. */
  maxUploadBytes?: number;
  /** Browser origins other than the gateway's own that may call it (CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** Clients reach the gateway over HTTPS (GATEWAY_HTTPS): adds Strict-Transport-Security. */
  https?: boolean;
  /**
   * Asked before any route is served (the limits per client): false when it has
   * answered the request itself.
   */
  admit?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
}

const tracer = getTracer('simpul.gateway');
const PAGE_PATHS = { console: CONSOLE_PATH, graphiqlAssets: GRAPHIQL_ASSETS_PATH, graphql: '/graphql' };

/**
 * The gateway's HTTP front: `/health`, `/ready`, `/.well-known/jwks.json`, and
 * everything else to yoga. Each request gets a server span that continues the
 * caller's `traceparent`, so a browser's trace joins ours. CORS is answered here, for
 * every route alike, and only for the configured origins (see cors.ts); so are the
 * security headers (security-headers.ts), on every response, and the limits per client.
 */
export function createHttpServer(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  yoga: YogaServerInstance<any, any>,
  routes: HttpRoutes,
  options: HttpOptions,
): Server {
  const { maxBodyBytes, maxUploadBytes = 0, admit } = options;
  const cors = corsPolicy(options.corsOrigins ?? []);
  const headersByKind = new Map<PageKind, [string, string][]>(
    (['api', 'graphiql', 'console'] as const).map((kind) => [kind, Object.entries(securityHeaders(kind, { https: options.https ?? false }))]),
  );
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    for (const [name, value] of headersByKind.get(pageKindOf(req, path, PAGE_PATHS))!) res.setHeader(name, value);
    for (const [name, value] of Object.entries(cors.headersFor(req))) res.setHeader(name, value);
    if (cors.isPreflight(req)) {
      res.writeHead(204, { 'content-length': '0' }).end();
      return;
    }
    const parent = extractTraceContext({ get: (k) => headerValue(req, k), set: () => {} });
    const span = tracer.startSpan(
      `HTTP ${req.method} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method ?? '', 'url.path': path },
      },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    otelContext.with(trace.setSpan(parent, span), () => {
      void route(req, res, path).catch((error: unknown) => {
        span.recordException(error as Error);
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (admit && !(await admit(req, res, path))) return;
    if (req.method === 'GET' && path === '/health') return sendJson(res, 200, routes.health());
    if (req.method === 'GET' && path === '/ready') {
      const report = await routes.ready();
      return sendJson(res, report.ready ? 200 : 503, report);
    }
    if (req.method === 'GET' && path === '/telemetry/live' && routes.live) return routes.live(req, res);
    if (req.method === 'GET' && path.startsWith(GRAPHIQL_ASSETS_PATH)) return serveGraphiQLAsset(path, res);
    if ((req.method === 'GET' || req.method === 'HEAD') && isConsolePath(path)) return serveConsole(path, res, { head: req.method === 'HEAD' });
    if (req.method === 'GET' && path.startsWith(ATTACHMENT_DOWNLOAD_PATH)) {
      return routes.attachment(req, res, path.slice(ATTACHMENT_DOWNLOAD_PATH.length));
    }
    if (req.method === 'POST' && path.startsWith(AGENCY_EVENTS_PATH) && routes.events) {
      return routes.events(req, res, path.slice(AGENCY_EVENTS_PATH.length));
    }
    if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      try {
        return sendJson(res, 200, await routes.jwks(), { 'cache-control': 'public, max-age=60' });
      } catch {
        return sendJson(res, 503, { error: 'identity service unavailable' });
      }
    }
    // The size limits below read Content-Length; a chunked body has none and would be read whole.
    if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      return sendJson(res, 411, {
        errors: [{ message: 'Send the request body with a Content-Length header', extensions: { code: ErrorCode.BadUserInput } }],
      });
    }
    const length = Number(req.headers['content-length'] ?? 0);
    const multipart = /^multipart\/form-data/i.test(headerValue(req, 'content-type'));
    const limit = multipart ? maxBodyBytes + maxUploadBytes : maxBodyBytes;
    if (length > limit) {
      return sendJson(res, 413, {
        errors: [{ message: `Request body is larger than ${limit} bytes`, extensions: { code: ErrorCode.BadUserInput } }],
      });
    }
    await yoga.requestListener(req, res);
  }
}

function headerValue(req: IncomingMessage, key: string): string {
  const value = req.headers[key.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
