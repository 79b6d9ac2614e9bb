import type { TypedDocumentString } from './generated/graphql.ts';

/** An error the gateway answered, with its extensions.code (UNAUTHENTICATED, FORBIDDEN, ...). */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Sends only the hash when the gateway runs with trusted documents (VITE_TRUSTED_DOCUMENTS=true),
 * otherwise the text with its hash: the text keeps working against a gateway that accepts
 * any operation (development), the hash lets an allow-listing gateway check it.
 */
const hashOnly = import.meta.env.VITE_TRUSTED_DOCUMENTS === 'true';

/** The body of a GraphQL request for a generated operation. */
export function requestBody<R, V>(document: TypedDocumentString<R, V>, variables: V): string {
  const hash = document.__meta__?.['hash'] as string | undefined;
  return JSON.stringify({
    ...(hashOnly && hash ? {} : { query: document.toString() }),
    variables,
    ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : {}),
  });
}

/** A query or mutation, typed by the generated document: data or a GatewayError. */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V, token?: string): Promise<R> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: requestBody(document, variables),
  });
  const result = (await response.json()) as { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
  const error = result.errors?.[0];
  if (error) throw new GatewayError(error.message, error.extensions?.code);
  if (!result.data) throw new GatewayError(`The gateway answered ${response.status} without data`, undefined);
  return result.data;
}
