import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NatsConnection } from '@simpul/bus';
import { TELEMETRY_READER_ROLES } from '@simpul/contracts';
import { bearerToken, hasRole, type Logger, type TokenVerifier } from '@simpul/kit';
import type { Subscription } from '@nats-io/nats-core';

/** The path of the console's live feed (see apps/telemetry/src/schema/type-defs.ts for its messages). */
export const LIVE_PATH = '/telemetry/live';

/** A console that reads slower than this many bytes behind loses messages rather than holding memory. */
const MAX_BEHIND_BYTES = 1024 * 1024;
const PING_MS = 15_000;

export interface LiveEndpointOptions {
  nc: NatsConnection;
  /** telemetrySubjects().live: what the telemetry service publishes. */
  subject: string;
  verifier: TokenVerifier;
  logger: Logger;
}

/**
 * `GET /telemetry/live`: Server-Sent Events relaying the telemetry service's live feed
 * to operators' consoles. The token comes in the Authorization header or, because a
 * browser's EventSource cannot set headers, as `?access_token=`; only OPERATOR,
 * NATIONAL_ADMIN and AUDITOR are let in. One NATS subscription serves every console
 * connected to this gateway, and only while one is.
 */
export function createLiveEndpoint(options: LiveEndpointOptions) {
  const clients = new Set<ServerResponse>();
  let subscription: Subscription | undefined;
  let ping: NodeJS.Timeout | undefined;

  function broadcast(text: string): void {
    for (const res of clients) {
      if (res.writableLength > MAX_BEHIND_BYTES) continue;
      res.write(text);
    }
  }

  function follow(): void {
    if (subscription) return;
    subscription = options.nc.subscribe(options.subject, {
      callback: (_error, msg) => {
        try {
          const message = JSON.parse(new TextDecoder().decode(msg.data)) as { event?: unknown; data?: unknown };
          if (typeof message.event !== 'string' || !/^[a-z-]+$/.test(message.event)) return;
          broadcast(`event: ${message.event}\ndata: ${JSON.stringify(message.data ?? null)}\n\n`);
        } catch {
          /* not a live message */
        }
      },
    });
    ping = setInterval(() => broadcast(': ping\n\n'), PING_MS);
  }

  function unfollowWhenAlone(): void {
    if (clients.size > 0 || !subscription) return;
    subscription.unsubscribe();
    subscription = undefined;
    clearInterval(ping);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const token = bearerToken(req.headers.authorization) ?? url.searchParams.get('access_token');
    if (!token) return refuse(res, 401, 'UNAUTHENTICATED', 'Send the token as "Authorization: Bearer <token>" or ?access_token=');
    let principal;
    try {
      principal = await options.verifier.verify(token);
    } catch (error) {
      return refuse(res, 401, 'UNAUTHENTICATED', (error as Error).message);
    }
    if (!hasRole(principal, ...TELEMETRY_READER_ROLES))
      return refuse(res, 403, 'FORBIDDEN', `This needs one of the roles: ${TELEMETRY_READER_ROLES.join(', ')}`);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    clients.add(res);
    follow();
    const leave = () => {
      clients.delete(res);
      unfollowWhenAlone();
    };
    req.once('close', leave);
    res.once('close', leave);
  }

  return {
    handle,
    /** Consoles connected now. */
    get clients() {
      return clients.size;
    },
    close(): void {
      for (const res of clients) res.end();
      clients.clear();
      unfollowWhenAlone();
    },
  };
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
