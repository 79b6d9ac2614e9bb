import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { ServiceName, Subjects } from '@simpul/contracts';
import { parseNatsUrl } from '@simpul/kit';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** Connects to the test NATS server. */
export function connectTestBus(url: string): Promise<NatsConnection> {
  return connect({ ...parseNatsUrl(url), name: 'test' });
}

/** Sends a GraphQL request straight to a service over NATS, as the gateway would (waiting long: CI shares two cores). */
export async function requestService<T = Record<string, unknown>>(
  nc: NatsConnection,
  subjects: Subjects,
  service: ServiceName,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const h = natsHeaders();
  if (token) h.set('authorization', `Bearer ${token}`);
  const reply = await nc.request(subjects.graphql(service), JSON.stringify({ query, variables }), { timeout: 60_000, headers: h });
  return reply.json<GraphQLResponse<T>>();
}

/** POSTs a GraphQL request to the gateway over HTTP. */
export async function postGraphQL<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ status: number; contentType: string | null; body: GraphQLResponse<T> }> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as GraphQLResponse<T> };
}
