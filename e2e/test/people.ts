import { eventually, postGraphQL, type GraphQLResponse } from '@simpul/testing';
import type { Platform } from './platform.ts';

export interface Person {
  /** 18 digits whose birth date, appointment month (TMT) and sex agree. */
  nip: string;
  name: string;
  agencyCode: string;
  unitCode: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- results are read ad hoc
async function gql<T = any>(platform: Platform, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse<T>> {
  return (await postGraphQL<T>(platform.url, query, variables, token)).body;
}

function expectNoErrors(result: GraphQLResponse<unknown>, what: string): void {
  if (result.errors) throw new Error(`${what}: ${JSON.stringify(result.errors)}`);
}

/** The password appointPeople gives `key`'s account. */
export const passwordOf = (key: string) => `password of ${key} 2026`;

/**
 * Sets up, as the national administrator, agencies with the units TU and PIMPINAN and
 * civil servants appointed in them, each with an account; returns each person's token.
 * Personnel learns agencies, and identity learns employees, from events: each step
 * waits for the one before it.
 */
export async function appointPeople<K extends string>(
  platform: Platform,
  adminToken: string,
  agencies: readonly (readonly [code: string, name: string])[],
  people: Record<K, Person>,
): Promise<Record<K, string>> {
  for (const [code, name] of agencies) {
    expectNoErrors(
      await gql(platform, 'mutation ($i: CreateAgencyInput!) { createAgency(input: $i) { code } }', { i: { code, name, kind: 'AGENCY' } }, adminToken),
      `agency ${code}`,
    );
    for (const unit of ['TU', 'PIMPINAN']) {
      expectNoErrors(
        await gql(
          platform,
          'mutation ($i: CreateUnitInput!) { createUnit(input: $i) { code } }',
          { i: { agencyCode: code, code: unit, name: `Bagian ${unit}` } },
          adminToken,
        ),
        `unit ${unit}`,
      );
    }
  }
  const tokens = {} as Record<K, string>;
  for (const [key, p] of Object.entries(people) as [K, Person][]) {
    const tmt = `${p.nip.slice(8, 12)}-${p.nip.slice(12, 14)}-01`;
    const appointed = await eventually(
      async () => {
        const result = await gql(
          platform,
          'mutation ($input: AppointEmployeeInput!) { appointEmployee(input: $input) { nip } }',
          {
            input: {
              ...p,
              asnStatus: 'PNS',
              rank: 'III/a',
              positionName: 'Analis Kebijakan Ahli Pertama',
              positionType: 'AHLI_PERTAMA',
              effectiveDate: tmt,
              decreeNumber: `SK/${p.nip}`,
            },
          },
          adminToken,
        );
        // Personnel learns new agencies from identity's events; until then it answers NOT_FOUND.
        return result.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : result;
      },
      `appointment of ${key}`,
      120_000,
    );
    expectNoErrors(appointed, `appointment of ${key}`);
    const password = passwordOf(key);
    await eventually(
      async () => {
        const reset = await gql(
          platform,
          'mutation ($u: String!, $p: String!) { resetPassword(username: $u, newPassword: $p) }',
          { u: p.nip, p: password },
          adminToken,
        );
        return reset.data?.resetPassword === true ? true : undefined;
      },
      `account of ${key}`,
      120_000,
    );
    tokens[key] = (
      await gql(platform, 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: p.nip, p: password })
    ).data.login.token;
  }
  return tokens;
}
