import { decodeJson, encodeJson, outgoingHeaders, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLErrorJson[];
}

/**
 * Sends one GraphQL request to identity over NATS, as the gateway does: the token goes
 * in the `authorization: Bearer …` header.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read results ad hoc
export async function requestGraphQL<TData = any>(
  nc: NatsConnection,
  subjects: Subjects,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<TData>> {
  const reply = await nc.request(subjects.graphql('identity'), encodeJson({ query, variables }), {
    timeout: 10_000,
    headers: outgoingHeaders(token),
  });
  return decodeJson(reply.data) as GraphQLResponse<TData>;
}

/** The codes of a response's errors, for compact assertions. */
export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
