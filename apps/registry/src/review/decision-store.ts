import type { PrismaClient, Transaction } from '../db.ts';
import type { DecisionKind } from './constraints.ts';

export interface DecisionFields {
  applicationIds: string[];
  decision: DecisionKind;
  reason: string;
  reviewerId: string;
  reviewerName: string;
  reviewerAgencyCode: string;
}

/** Review decisions on duplicates, oldest first: their order is their meaning (see constraints.ts). */
export class DecisionStore {
  constructor(private readonly prisma: PrismaClient) {}

  history() {
    return this.prisma.duplicateDecision.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Decisions naming an application, newest first. */
  about(applicationId: string) {
    return this.prisma.duplicateDecision.findMany({ where: { applicationIds: { has: applicationId } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** How many decisions were ever taken (none is deleted, so a new one changes the count). */
  count(): Promise<number> {
    return this.prisma.duplicateDecision.count();
  }

  create(tx: Transaction, fields: DecisionFields) {
    return tx.duplicateDecision.create({ data: fields });
  }
}
