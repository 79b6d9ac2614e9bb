import { parse } from 'graphql';
import { createNatsExecutor, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { flattenUnits, type DemoAgency } from '@simpul/contracts/demo';
import { notFound, serviceUnavailable } from '@simpul/kit';

/**
 * Where personnel learns which agencies and units exist. Identity owns both; personnel
 * keeps only their codes on its records. It asks identity when a record names an
 * agency or unit (appointment, transfer), so a new unit can be used the moment identity
 * has it, and nothing here can drift from identity's truth.
 */
export interface OrganisationDirectory {
  /** Resolves when the agency exists and, if given, has the unit; else NOT_FOUND (or SERVICE_UNAVAILABLE). */
  requireUnit(agencyCode: string, unitCode: string | null, field: { agency: string; unit: string }, token?: string): Promise<void>;
}

const LOOKUP = parse(/* GraphQL */ `
  query PersonnelAgencyLookup($agency: String!, $unit: String!, $withUnit: Boolean!) {
    agency(code: $agency) {
      code
      unit(code: $unit) @include(if: $withUnit) { code }
    }
  }
`);

interface LookupResult {
  data?: { agency: { code: string; unit?: { code: string } | null } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Asks identity over NATS (GraphQL, as the gateway would, with the caller's token). */
export function identityDirectory(nc: NatsConnection, subjects: Subjects, timeoutMs = 5_000): OrganisationDirectory {
  const executor = createNatsExecutor({ nc, subjects, service: 'identity', timeoutMs });
  return {
    async requireUnit(agencyCode, unitCode, field, token) {
      const result = (await executor({
        document: LOOKUP,
        variables: { agency: agencyCode, unit: unitCode ?? '', withUnit: unitCode !== null },
        context: { token },
      })) as unknown as LookupResult;
      if (!result.data?.agency) {
        if (result.errors?.length) {
          throw serviceUnavailable(`Cannot check the agency with identity: ${result.errors[0]!.message}`, { service: 'identity' });
        }
        throw notFound(`${field.agency}: no agency has the code "${agencyCode}"`);
      }
      if (unitCode !== null && !result.data.agency.unit) throw notFound(`${field.unit}: ${agencyCode} has no unit with the code "${unitCode}"`);
    },
  };
}

/** A directory over fixed agencies (the demo ones in tests and the seed), asking no one. */
export function staticDirectory(agencies: readonly DemoAgency[]): OrganisationDirectory {
  const units = new Map(agencies.map((a) => [a.code, new Set(flattenUnits(a.units).map((u) => u.code))]));
  return {
    async requireUnit(agencyCode, unitCode, field) {
      const known = units.get(agencyCode);
      if (!known) throw notFound(`${field.agency}: no agency has the code "${agencyCode}"`);
      if (unitCode !== null && !known.has(unitCode)) throw notFound(`${field.unit}: ${agencyCode} has no unit with the code "${unitCode}"`);
    },
  };
}
