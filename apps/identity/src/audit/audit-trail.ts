import { recordAudit, type RequestInfo } from '@simpul/bus';
import type { AuditEntryData, Subjects } from '@simpul/contracts';
import type { Logger, Principal } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';

export type AuditOutcome = AuditEntryData['outcome'];

/** What identity itself records; actor and address come from the request. */
export interface AuditAction {
  action: string;
  outcome: AuditOutcome;
  target?: string | null;
  detail?: Record<string, unknown>;
  /** Overrides the caller as the actor (a login names the account, not a token). */
  actor?: { id: string | null; name: string | null; agencyCode: string | null };
}

/**
 * Identity's own security-relevant actions (logins, role changes, API clients, key
 * rotation) go through its outbox as `identity.audit.recorded` events, like every other
 * service's, and come back into the audit log through the audit consumer. Permission
 * denials are recorded by bus's auditDenials, as in the other services. Recording never
 * fails the action it describes: a failure is logged.
 */
export class AuditTrail {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
    private readonly logger: Logger,
    private readonly eventsWritten: () => void,
  ) {}

  /** A recorder bound to one request's caller and address. */
  for(principal: Principal | null, request: RequestInfo | undefined): RequestAudit {
    return (entry) => this.record(principal, request?.clientAddress ?? null, entry);
  }

  async record(principal: Principal | null, sourceAddress: string | null, entry: AuditAction): Promise<void> {
    const actor = entry.actor ?? {
      id: principal?.id ?? null,
      name: principal?.username ?? null,
      agencyCode: principal?.agencyCode ?? null,
    };
    try {
      await recordAudit(this.prisma, this.subjects, 'identity', {
        action: entry.action,
        outcome: entry.outcome,
        actorId: actor.id,
        actorName: actor.name,
        actorAgencyCode: actor.agencyCode,
        target: entry.target ?? null,
        sourceAddress,
        detail: entry.detail ?? {},
      });
      this.eventsWritten();
    } catch (error) {
      this.logger.error({ err: error, action: entry.action }, 'could not record an audit entry');
    }
  }
}

export type RequestAudit = (entry: AuditAction) => Promise<void>;
