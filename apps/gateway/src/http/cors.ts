import type { IncomingMessage } from 'node:http';

/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;
const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/**
 * Cross-origin access for browser apps on other origins (CORS). Tokens travel in the
 * `Authorization` header and credentials are allowed, so an origin that is answered
 * may act for the logged-in user: only the origins in `CORS_ORIGINS` are answered,
 * each by its exact value, and every other origin gets no CORS headers at all (its
 * browser then refuses to hand the response to the page). Same-origin pages, such as
 * GraphiQL on the gateway itself, need no CORS and keep working with an empty list.
 */
export interface CorsPolicy {
  /** Headers to add to the response to this request (none for a foreign or missing origin). */
  headersFor(req: IncomingMessage): Record<string, string>;
  /** True for a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), answered without a body. */
  isPreflight(req: IncomingMessage): boolean;
}

export function corsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowed = new Set(allowedOrigins);
  return {
    isPreflight: (req) => req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined,
    headersFor(req) {
      const origin = req.headers.origin;
      if (!origin || !allowed.has(origin)) return {};
      const headers: Record<string, string> = {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        // The answer depends on the Origin header: caches must not give it to another origin.
        vary: 'Origin',
      };
      if (req.method === 'OPTIONS') {
        headers['access-control-allow-methods'] = ALLOWED_METHODS;
        const requested = req.headers['access-control-request-headers'];
        if (requested) headers['access-control-allow-headers'] = requested;
        headers['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
      }
      return headers;
    },
  };
}

/**
 * Checks one `CORS_ORIGINS` entry: an origin exactly as a browser sends it
 * (`https://host[:port]`, no path and no trailing slash). `*` is refused: with
 * credentials allowed, it would let any web page act for the user.
 */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
