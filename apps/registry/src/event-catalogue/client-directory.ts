import { parse } from 'graphql';
import { createNatsExecutor, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { serviceUnavailable } from '@simpul/kit';

/** What the registry needs to know of an API client before granting it events. */
export interface ApiClientStatus {
  agencyCode: string;
  /** ISO 8601, or null while the client may still get tokens. */
  revokedAt: string | null;
}

/**
 * Where the registry learns whether an API client exists. Identity owns clients; the
 * registry keeps only their ids on grants, and asks identity (with the granting
 * administrator's token) when a grant names one, so a typo or a revoked client is
 * refused at once instead of holding a grant nothing can use.
 */
export interface ClientDirectory {
  /** Null when no client has the id; SERVICE_UNAVAILABLE when identity cannot say. */
  status(clientId: string, token: string): Promise<ApiClientStatus | null>;
}

const LOOKUP = parse(/* GraphQL */ `
  query RegistryApiClientLookup($clientId: String!) {
    apiClientStatus(clientId: $clientId) { agencyCode revokedAt }
  }
`);

interface LookupResult {
  data?: { apiClientStatus: ApiClientStatus | null } | null;
  errors?: { message: string }[];
}

/** Asks identity over NATS (GraphQL, as the gateway would, with the caller's token). */
export function identityClientDirectory(nc: NatsConnection, subjects: Subjects, timeoutMs = 5_000): ClientDirectory {
  const executor = createNatsExecutor({ nc, subjects, service: 'identity', timeoutMs });
  return {
    async status(clientId, token) {
      const result = (await executor({ document: LOOKUP, variables: { clientId }, context: { token } })) as unknown as LookupResult;
      if (result.errors?.length || !result.data) {
        throw serviceUnavailable(`Cannot check the API client with identity: ${result.errors?.[0]?.message ?? 'no answer'}`, { service: 'identity' });
      }
      return result.data.apiClientStatus;
    },
  };
}

/** A directory over fixed clients (tests), asking no one. */
export function staticClientDirectory(lookup: (clientId: string) => ApiClientStatus | null): ClientDirectory {
  return { status: async (clientId) => lookup(clientId) };
}
