/**
 * `extensions.code` values that clients can rely on. Every error the graph returns
 * carries exactly one of these.
 */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  AccountLocked: 'ACCOUNT_LOCKED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  QueryTooComplex: 'QUERY_TOO_COMPLEX',
  /** The caller already holds as much of a shared resource as one caller may (e.g. uploads in progress); retry later. */
  QuotaExceeded: 'QUOTA_EXCEEDED',
  /** Too many requests from this client (or failed logins from this address) for now; the response's Retry-After says when to try again. */
  RateLimited: 'RATE_LIMITED',
  /** The persisted document the request names (documentId / persistedQuery hash) is not in the gateway's trusted documents. */
  PersistedQueryNotFound: 'PERSISTED_QUERY_NOT_FOUND',
  /** The gateway runs only trusted documents for this caller: send a persisted document's id instead of query text. */
  PersistedQueryOnly: 'PERSISTED_QUERY_ONLY',
  GraphQLParseFailed: 'GRAPHQL_PARSE_FAILED',
  GraphQLValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** NATS/HTTP header that carries the caller's bearer token to a service. */
export const AUTHORIZATION_HEADER = 'authorization';
/** The address of the client the gateway served (for audit entries: "from where"). */
export const CLIENT_ADDRESS_HEADER = 'simpul-client-address';
/**
 * On a GraphQL request: "acknowledge first". The instance that takes the request then
 * replies at once with an empty message whose INSTANCE_HEADER names its instance subject,
 * and later with the answer, so the caller can tell a busy instance from a dead one.
 */
export const ACKNOWLEDGE_HEADER = 'simpul-acknowledge';
/** On an acknowledgement: the subject of the instance that took the request (Subjects.instance). */
export const INSTANCE_HEADER = 'simpul-instance';
