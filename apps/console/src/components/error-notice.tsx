import type { GraphQLRequestError } from '../api/graphql-client.ts';
import { traceHref } from '../router.ts';

const EXPLAIN: Record<string, string> = {
  FORBIDDEN: 'Your account may not read the console: it needs the role OPERATOR, NATIONAL_ADMIN or AUDITOR.',
  UNAUTHENTICATED: 'Your session has ended; log in again.',
  SERVICE_UNAVAILABLE: 'The telemetry service does not answer right now.',
};

/** An error from the graph, with its code, and its trace when the gateway gave one. */
export function ErrorNotice({ error }: { error: GraphQLRequestError }) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>{error.code}</strong> {EXPLAIN[error.code] ?? error.message}
      {error.traceId && (
        <>
          {' '}
          <a href={traceHref(error.traceId)}>Open trace {error.traceId.slice(0, 12)}…</a>
        </>
      )}
    </div>
  );
}
