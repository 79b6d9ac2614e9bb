import { SERVICES } from '@simpul/contracts';
import {
  badUserInput,
  decodeCursor,
  encodeCursor,
  forbidden,
  hasRole,
  pageSize,
  requirePrincipal,
  toConnection,
  type Connection,
  type Principal,
} from '@simpul/kit';
import type { AuditEntry, AuditFilter, AuditStore } from './audit-store.ts';

export interface AuditLogInput {
  filter?: {
    service?: string | null;
    action?: string | null;
    outcome?: AuditEntry['outcome'] | null;
    actorId?: string | null;
    actorName?: string | null;
    agencyCode?: string | null;
    target?: string | null;
    from?: string | null;
    to?: string | null;
  } | null;
  first?: number | null;
  after?: string | null;
}

const CURSOR_KIND = 'audit';

/** Who may read the audit log: auditors and national administrators, for every agency. */
export class AuditManager {
  constructor(private readonly store: AuditStore) {}

  async list(principal: Principal | null, input: AuditLogInput): Promise<Connection<AuditEntry>> {
    const caller = requirePrincipal(principal);
    if (!hasRole(caller, 'AUDITOR', 'NATIONAL_ADMIN')) throw forbidden('Reading the audit log needs the role AUDITOR or NATIONAL_ADMIN');
    const take = pageSize(input.first);
    const after = decodeCursor(CURSOR_KIND, input.after);
    if (after !== undefined && !/^\d+$/.test(after)) throw badUserInput('after: not a cursor from this list', { field: 'after' });
    const filter = validFilter(input.filter ?? {});
    const [rows, totalCount] = await Promise.all([
      this.store.page(filter, after !== undefined ? BigInt(after) : undefined, take + 1),
      this.store.count(filter),
    ]);
    return toConnection(rows, take, totalCount, (e) => encodeCursor(CURSOR_KIND, e.seq.toString()));
  }
}

function validFilter(input: NonNullable<AuditLogInput['filter']>): AuditFilter {
  if (input.service && !(SERVICES as readonly string[]).includes(input.service)) {
    throw badUserInput(`filter.service: unknown service "${input.service}" (one of ${SERVICES.join(', ')})`, { field: 'filter.service' });
  }
  return {
    service: input.service ?? undefined,
    action: input.action ?? undefined,
    outcome: input.outcome ?? undefined,
    actorId: input.actorId ?? undefined,
    actorName: input.actorName ?? undefined,
    agencyCode: input.agencyCode ?? undefined,
    target: input.target ?? undefined,
    from: date(input.from, 'filter.from'),
    to: date(input.to, 'filter.to'),
  };
}

function date(value: string | null | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw badUserInput(`${field}: not an ISO 8601 date or time: "${value}"`, { field });
  return parsed;
}
