/**
 * The console's only way to the graph: POST /graphql on the gateway that served it,
 * with the operator's token. Errors keep the gateway's `extensions.code` and
 * `extensions.traceId`, so a page can say FORBIDDEN plainly and link the trace.
 */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly traceId: string | undefined,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; traceId?: string };
}

export type GraphQLFetch = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function createGraphQLClient(options: {
  endpoint?: string;
  token: () => string | null;
  /** Called when the gateway refuses the token (401 / UNAUTHENTICATED): the console logs out. */
  onUnauthenticated?: () => void;
  fetchImpl?: typeof fetch;
}): GraphQLFetch {
  const endpoint = options.endpoint ?? '/graphql';
  const doFetch = options.fetchImpl ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const token = options.token();
    const response = await doFetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: T | null; errors?: GraphQLErrorShape[] } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new GraphQLRequestError(`The gateway answered ${response.status} without a GraphQL body`, 'NETWORK_ERROR', undefined);
    }
    const first = body?.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? (response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR');
      if (code === 'UNAUTHENTICATED') options.onUnauthenticated?.();
      throw new GraphQLRequestError(first.message, code, first.extensions?.traceId);
    }
    if (!response.ok || body?.data == null) {
      throw new GraphQLRequestError(
        `The gateway answered ${response.status}`,
        response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR',
        undefined,
      );
    }
    return body.data;
  };
}
