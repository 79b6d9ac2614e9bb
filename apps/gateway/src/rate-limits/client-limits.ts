import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '@simpul/contracts';
import { bearerToken, type TokenVerifier } from '@simpul/kit';
import type { ClientAddressOf } from '../http/client-address.ts';
import { TokenBuckets } from './token-buckets.ts';

export interface ClientLimitOptions {
  /** Requests a client may make in a burst, and per window on average. */
  requests: number;
  windowMs: number;
  verifier: TokenVerifier;
  clientAddressOf: ClientAddressOf;
  now?: () => number;
}

/** Probes answer the balancer and Kubernetes, which must never be turned away. */
const UNLIMITED_PATHS = new Set(['/health', '/ready']);

/**
 * The limit per client, checked for every HTTP request before it is routed: GraphQL,
 * downloads, agency events alike. A client is the token's subject (a user or an API
 * client, wherever it calls from), else the address it calls from. The token is
 * verified first (the verifier caches it, so the later check costs nothing): the
 * subject of a forged token would let anyone spend someone else's allowance.
 *
 * Returns the admission check for the HTTP server: false when it has answered 429 itself.
 */
export function createClientLimits(options: ClientLimitOptions): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  const buckets = new TokenBuckets(options.requests, options.windowMs, options.now);
  return async (req, res, path) => {
    if (UNLIMITED_PATHS.has(path)) return true;
    const taken = buckets.take(await clientKey(req, options));
    if (taken.ok) return true;
    const body = JSON.stringify({
      errors: [{ message: `Too many requests: try again in ${taken.retryAfterSeconds} s`, extensions: { code: ErrorCode.RateLimited } }],
    });
    res.writeHead(429, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'retry-after': String(taken.retryAfterSeconds),
    });
    res.end(body);
    return false;
  };
}

async function clientKey(req: IncomingMessage, options: ClientLimitOptions): Promise<string> {
  const token = bearerToken(req.headers.authorization ?? '');
  if (token) {
    try {
      const principal = await options.verifier.verify(token);
      return `${principal.kind}:${principal.id}`;
    } catch {
      // Refused later with 401; until then it counts against its address.
    }
  }
  return `address:${options.clientAddressOf(req)}`;
}
