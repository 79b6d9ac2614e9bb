import type { IncomingMessage } from 'node:http';

/**
 * Security headers for every response the gateway sends, in one place: the API's JSON,
 * GraphiQL's page and files, and the operators' console. Every page the gateway serves
 * runs only scripts from its own origin: no inline script, no `eval`, nothing from a
 * third party. A page that operators log in through must not run anyone else's code,
 * and an injected `<script>` then does nothing.
 */
export type PageKind = 'api' | 'graphiql' | 'console';

/** Two years: browsers then refuse plain HTTP to this host for that long after one visit over HTTPS. */
const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Sources every policy shares: no plugins, no `<base>` rewriting, no framing (clickjacking). */
const LOCKED = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const CONTENT_SECURITY_POLICIES: Readonly<Record<PageKind, string>> = {
  // JSON, files, health: nothing in them may run or load anything, even if a browser renders one.
  api: `default-src 'none'; form-action 'none'; ${LOCKED}`,
  console: `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; ${LOCKED}`,
  // GraphiQL's editor (Monaco) writes its theme into <style> elements it creates at run
  // time, hence 'unsafe-inline' for styles only (a style cannot run code). Its language
  // workers are files from /graphiql/ (worker-src), and it fetches only /graphql.
  graphiql: `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; form-action 'none'; ${LOCKED}`,
};

const COMMON: Readonly<Record<string, string>> = {
  // A response is only ever what its Content-Type says (no script from a sniffed "text").
  'x-content-type-options': 'nosniff',
  // Addresses can carry ids (letters, attachments): they stay on this site.
  'referrer-policy': 'no-referrer',
  // For browsers that predate CSP's frame-ancestors.
  'x-frame-options': 'DENY',
  // A page we serve shares no window with a page of another origin that opened it or that it opens.
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export interface SecurityHeaderOptions {
  /**
   * Clients reach the gateway over HTTPS (TLS usually ends at a balancer in front of it):
   * adds Strict-Transport-Security. Never sent otherwise, since a browser that got it from
   * a plain-HTTP gateway by mistake would refuse to reach that host at all.
   */
  https?: boolean;
}

/** The headers for one kind of response. */
export function securityHeaders(kind: PageKind, options: SecurityHeaderOptions = {}): Record<string, string> {
  return {
    ...COMMON,
    'content-security-policy': CONTENT_SECURITY_POLICIES[kind],
    ...(options.https ? { 'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}` } : {}),
  };
}

/**
 * Which kind of response a request gets, known before it is routed: the console below
 * its path, GraphiQL for its files and for a browser's GET of the GraphQL endpoint (yoga
 * answers that with the GraphiQL page), the API for everything else.
 */
export function pageKindOf(req: IncomingMessage, path: string, paths: { console: string; graphiqlAssets: string; graphql: string }): PageKind {
  if (path === paths.console || path.startsWith(`${paths.console}/`)) return 'console';
  if (path.startsWith(paths.graphiqlAssets)) return 'graphiql';
  if (path === paths.graphql && req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) return 'graphiql';
  return 'api';
}
