import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import { isUniqueViolation, type Prisma, type PrismaClient, type TransferRequest } from '../db.ts';
import { toDbDate } from '../domain/dates.ts';

export interface NewTransferRequest {
  nip: string;
  fromAgencyCode: string;
  fromUnitCode: string | null;
  toAgencyCode: string;
  toUnitCode: string | null;
  effectiveDate: string | null;
  decreeNumber: string | null;
  requestedById: string;
  requestedByName: string;
}

/** How a pending request ends; an acceptance is written with its career event (EmployeeStore.append). */
export interface TransferDecision {
  id: string;
  status: 'ACCEPTED' | 'REJECTED' | 'CANCELLED';
  decidedById: string;
  decidedByName: string;
  reason?: string | null;
}

export type TransferDirection = 'INCOMING' | 'OUTGOING';

export interface PendingPageQuery {
  agencyCode: string;
  direction: TransferDirection;
  /** Only requests after this one in (requestedAt, id) order. */
  after?: { requestedAt: Date; id: string } | undefined;
  take: number;
}

/** Requests to move employees between agencies. Pending ones are what the graph shows. */
export class TransferStore {
  constructor(private readonly prisma: PrismaClient) {}

  pendingFor(nip: string): Promise<TransferRequest | null> {
    return this.prisma.transferRequest.findFirst({ where: { nip, status: 'PENDING' } });
  }

  pendingForNips(nips: readonly string[]): Promise<TransferRequest[]> {
    return this.prisma.transferRequest.findMany({ where: { nip: { in: [...nips] }, status: 'PENDING' } });
  }

  /** Pending requests into (INCOMING) or out of (OUTGOING) an agency, oldest first. */
  pendingPage(query: PendingPageQuery): Promise<TransferRequest[]> {
    return this.prisma.transferRequest.findMany({
      where: { ...pendingOf(query), ...(query.after ? after(query.after) : {}) },
      orderBy: [{ requestedAt: 'asc' }, { id: 'asc' }],
      take: query.take,
    });
  }

  countPending(query: Omit<PendingPageQuery, 'after' | 'take'>): Promise<number> {
    return this.prisma.transferRequest.count({ where: pendingOf(query) });
  }

  /** Stores the request with its outbox events; refused when one is pending for the employee already. */
  async request(
    request: NewTransferRequest,
    events: OutgoingEvent[],
  ): Promise<{ ok: true; request: TransferRequest } | { ok: false; error: 'pending-exists' }> {
    try {
      const created = await this.prisma.$transaction(async (tx) => {
        const row = await tx.transferRequest.create({
          data: { ...request, effectiveDate: request.effectiveDate ? toDbDate(request.effectiveDate) : null },
        });
        for (const event of events) await writeOutboxEvent(tx, event);
        return row;
      });
      return { ok: true, request: created };
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, error: 'pending-exists' };
      throw error;
    }
  }

  /** Ends a pending request (rejected or cancelled) with its outbox events; false when it was no longer pending. */
  async decide(decision: TransferDecision, events: OutgoingEvent[]): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await closePending(tx, decision))) return false;
      for (const event of events) await writeOutboxEvent(tx, event);
      return true;
    });
  }
}

/** Marks a pending request decided inside the caller's transaction; false when it was no longer pending. */
export async function closePending(tx: Prisma.TransactionClient, decision: TransferDecision): Promise<boolean> {
  const { count } = await tx.transferRequest.updateMany({
    where: { id: decision.id, status: 'PENDING' },
    data: {
      status: decision.status,
      decidedById: decision.decidedById,
      decidedByName: decision.decidedByName,
      decidedAt: new Date(),
      reason: decision.reason ?? null,
    },
  });
  return count === 1;
}

function pendingOf(query: { agencyCode: string; direction: TransferDirection }): Prisma.TransferRequestWhereInput {
  return { status: 'PENDING', ...(query.direction === 'INCOMING' ? { toAgencyCode: query.agencyCode } : { fromAgencyCode: query.agencyCode }) };
}

function after(cursor: { requestedAt: Date; id: string }): Prisma.TransferRequestWhereInput {
  return { OR: [{ requestedAt: { gt: cursor.requestedAt } }, { requestedAt: cursor.requestedAt, id: { gt: cursor.id } }] };
}
