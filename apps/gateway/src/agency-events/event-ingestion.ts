import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJson, encodeJson, isNoResponders, type NatsConnection } from '@simpul/bus';
import { agencyEventSubjects, ErrorCode, type AgencyEventIngestRequest, type AgencyEventVerdict, type Subjects } from '@simpul/contracts';
import { bearerToken, type Logger, type TokenVerifier } from '@simpul/kit';

export interface EventIngestionOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verifier: TokenVerifier;
  timeoutMs: number;
  logger: Logger;
}

/** Largest event body taken over HTTP (the registry's own limit is the same). */
export const MAX_EVENT_BODY_BYTES = 256 * 1024;

const STATUS: Record<Extract<AgencyEventVerdict, { accepted: false }>['code'], number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * `POST /events/<type>`: an agency system without a NATS connection publishes an event
 * of its agency with its API client's token (client credentials). The registry validates
 * it against the declared schema and stores it; the answer is `202` with the event id,
 * or the reason it was refused (`400` invalid, `404` undeclared type, `403` not an API
 * client). The event's `id` is the idempotency key: the same id sent again (a retry after
 * a lost answer) is answered `202` with `duplicate: true` and stored once.
 */
export function createEventIngestion(options: EventIngestionOptions) {
  const ingest = agencyEventSubjects(options.subjects).ingest;

  return async function ingestEvent(req: IncomingMessage, res: ServerResponse, typeInPath: string): Promise<void> {
    // Event type names are plain subject tokens; anything percent-encoded is refused by the registry's name check.
    const eventType = typeInPath;
    const token = bearerToken(header(req, 'authorization'));
    if (!token) return refuse(res, 401, ErrorCode.Unauthenticated, "Send the API client's token: Authorization: Bearer <token> (issueClientToken)");
    let principal;
    try {
      principal = await options.verifier.verify(token);
    } catch (error) {
      return refuse(res, 401, ErrorCode.Unauthenticated, (error as Error).message);
    }
    if (principal.kind !== 'client') return refuse(res, 403, ErrorCode.Forbidden, 'Events are published by API clients (client credentials), not by users');
    if (!/^application\/json\b/i.test(header(req, 'content-type')))
      return refuse(res, 415, ErrorCode.BadUserInput, 'Send the event as Content-Type: application/json');

    const body = await readBody(req, MAX_EVENT_BODY_BYTES);
    if (body === null) return refuse(res, 413, ErrorCode.BadUserInput, `The event is larger than ${MAX_EVENT_BODY_BYTES} bytes`);

    let verdict: AgencyEventVerdict;
    try {
      const request: AgencyEventIngestRequest = { token, eventType, body };
      const reply = await options.nc.request(ingest, encodeJson(request), { timeout: options.timeoutMs });
      verdict = decodeJson(reply.data) as AgencyEventVerdict;
    } catch (error) {
      options.logger.warn({ err: error, eventType }, 'agency event ingestion did not answer');
      const reason = isNoResponders(error) ? 'The registry is not running' : 'The registry did not answer in time';
      return refuse(res, 503, ErrorCode.ServiceUnavailable, `${reason}; send the event again with the same id`);
    }
    if (verdict.accepted) {
      // A deprecated version is accepted with a warning (RFC 9745's Deprecation header, and in the body).
      const deprecation = verdict.warning ? { deprecation: 'true' } : {};
      return send(
        res,
        202,
        {
          id: verdict.id,
          type: verdict.type,
          version: verdict.version,
          duplicate: verdict.duplicate,
          ...(verdict.warning ? { warning: verdict.warning } : {}),
        },
        deprecation,
      );
    }
    return refuse(res, STATUS[verdict.code] ?? 400, verdict.code, verdict.reason, verdict.id);
  };
}

/** The body as text, or null when it is larger than `limit` (the rest is not read into memory). */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function refuse(res: ServerResponse, status: number, code: string, message: string, id: string | null = null): void {
  send(res, status, { error: { code, message }, ...(id ? { id } : {}) }, status === 401 ? { 'www-authenticate': 'Bearer' } : {});
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
