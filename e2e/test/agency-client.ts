import { expect } from 'vitest';
import { postGraphQL } from '@simpul/testing';
import type { Platform } from './platform.ts';

/**
 * What the agency-event tests do as people and systems of an agency, against one running
 * platform: log in as a demo user, ask the graph, register an API client with its token,
 * and POST an event to the gateway's ingestion route as that client.
 */
export interface AgencyClient {
  login(username: string): Promise<string>;
  /** Asks the graph and expects no errors. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ad hoc reads of answers
  gql(query: string, variables: Record<string, unknown>, token: string): Promise<any>;
  /** Registers an API client of the agency (as `adminToken`) and issues its token. */
  apiClient(agencyCode: string, adminToken: string, name?: string): Promise<{ clientId: string; token: string }>;
  /** `POST /events/<type>`; a string body is sent as it is (malformed JSON tests). */
  postEvent(type: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

export function agencyClient(platform: () => Platform): AgencyClient {
  const client: AgencyClient = {
    async login(username) {
      const res = await postGraphQL<{ login: { token: string } }>(
        platform().url,
        'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
        {
          u: username,
          p: platform().adminPassword,
        },
      );
      const token = res.body.data?.login.token;
      if (!token) throw new Error(`login of ${username} failed: ${JSON.stringify(res.body.errors)}`);
      return token;
    },
    async gql(query, variables, token) {
      const res = await postGraphQL(platform().url, query, variables, token);
      expect(res.body.errors).toBeUndefined();
      return res.body.data;
    },
    async apiClient(agencyCode, adminToken, name = 'Sistem uji') {
      const registered = await client.gql(
        'mutation ($a: String!, $n: String!) { registerApiClient(input: { agencyCode: $a, name: $n }) { clientId clientSecret } }',
        { a: agencyCode, n: name },
        adminToken,
      );
      const { clientId, clientSecret } = registered.registerApiClient;
      const issued = await client.gql(
        'mutation ($i: String!, $s: String!) { issueClientToken(clientId: $i, clientSecret: $s) { token } }',
        { i: clientId, s: clientSecret },
        adminToken,
      );
      return { clientId, token: issued.issueClientToken.token };
    },
    async postEvent(type, body, token) {
      const res = await fetch(`${platform().url.replace(/\/graphql$/, '')}/events/${type}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };
  return client;
}
