import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';

/**
 * Formats errors for the wire. Errors raised on purpose keep their message and code;
 * parse and validation errors get theirs; anything else is a bug whose details stay
 * in our log, never in the response.
 */
export function formatError(error: GraphQLError, logger: Logger): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (typeof code === 'string') return error.toJSON();
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) {
    const formatted = error.toJSON();
    return { ...formatted, extensions: { ...formatted.extensions, code: original ? ErrorCode.BadUserInput : requestErrorCode(error) } };
  }
  if (isDatabaseUnavailable(original)) {
    logger.warn({ err: original, path: error.path }, 'database unavailable');
    return {
      message: 'The database is unavailable; try again shortly',
      ...(error.path ? { path: error.path } : {}),
      ...(error.locations ? { locations: error.locations } : {}),
      extensions: { code: ErrorCode.ServiceUnavailable, reason: 'database' },
    };
  }
  logger.error({ err: original, path: error.path }, 'unexpected error in resolver');
  return {
    message: 'Unexpected error',
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: ErrorCode.InternalServerError },
  };
}

/**
 * The code of an error graphql-js raised about the request itself, before execution:
 * a syntax error in the document, or a document the schema does not accept.
 */
export function requestErrorCode(error: GraphQLError): ErrorCode {
  return error.message.startsWith('Syntax Error') ? ErrorCode.GraphQLParseFailed : ErrorCode.GraphQLValidationFailed;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  // PostgreSQL: connection failures, shutdown, pg_terminate_backend, statement timeout.
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  // Prisma: server unreachable, timed out, socket timeout, connection closed, pool timeout, too many connections.
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2037',
]);
/** Prisma driver-adapter error kinds that mean the database is away. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|Server has closed the connection|timeout exceeded when trying to connect|Timed out fetching a new connection|Can't reach database server|terminating connection due to administrator command|the database system is (starting up|shutting down)|Client has encountered a connection error|Connection refused/i;

/**
 * True when an error means the database could not be reached or dropped the connection
 * (a network cut, a restart), as opposed to a bug: the request then fails with
 * SERVICE_UNAVAILABLE and the pool reconnects by itself once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    const extra = e as { originalCode?: unknown; kind?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
    if (typeof extra.originalCode === 'string' && UNAVAILABLE_CODES.has(extra.originalCode)) return true;
    if (typeof extra.kind === 'string' && UNAVAILABLE_KINDS.has(extra.kind)) return true;
    const kind = extra.meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return true;
  }
  return false;
}
