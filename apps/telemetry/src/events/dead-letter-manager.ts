import { discardDeadLetter, getDeadLetter, listDeadLetters, recordAudit, replayDeadLetter, type DeadLetter, type NatsConnection } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { badUserInput, notFound, type Principal } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';

export type DeadLetterView = DeadLetter;

/**
 * Dead letters for the console, on the bus's own dead-letter code (the one the
 * `npm run dead-letters` CLI uses). Replaying and discarding are audited: the entry
 * says who did it to which dead letter, never the payload.
 */
export class DeadLetterManager {
  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
    private readonly prisma: PrismaClient,
    private readonly auditWritten: () => void,
    private readonly changed: (seq: number, consumer: string, action: 'REPLAYED' | 'DISCARDED') => void,
  ) {}

  async list(consumer?: string | null, first?: number | null): Promise<DeadLetterView[]> {
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badUserInput('first: must be between 1 and 500', { field: 'first' });
    return await listDeadLetters(this.nc, this.subjects, { ...(consumer ? { consumer } : {}), limit });
  }

  async get(seq: number): Promise<DeadLetterView | null> {
    checkSeq(seq);
    const letter = await getDeadLetter(this.nc, this.subjects, seq);
    return letter;
  }

  async replay(principal: Principal, seq: number): Promise<DeadLetterView> {
    checkSeq(seq);
    if (!(await getDeadLetter(this.nc, this.subjects, seq))) throw notFound(`No dead letter has the sequence ${seq}`);
    const letter = await replayDeadLetter(this.nc, this.subjects, seq);
    await this.audit(principal, 'dead-letter.replay', letter);
    this.changed(seq, letter.consumer, 'REPLAYED');
    return letter;
  }

  async discard(principal: Principal, seq: number): Promise<boolean> {
    checkSeq(seq);
    const letter = await getDeadLetter(this.nc, this.subjects, seq);
    if (!letter) return false;
    const removed = await discardDeadLetter(this.nc, this.subjects, seq);
    if (removed) {
      await this.audit(principal, 'dead-letter.discard', letter);
      this.changed(seq, letter.consumer, 'DISCARDED');
    }
    return removed;
  }

  private async audit(principal: Principal, action: string, letter: DeadLetter): Promise<void> {
    await recordAudit(this.prisma, this.subjects, 'telemetry', {
      action,
      outcome: 'SUCCESS',
      actorId: principal.id,
      actorName: principal.username,
      actorAgencyCode: principal.agencyCode,
      target: `dead-letter:${letter.seq}`,
      sourceAddress: null,
      detail: { consumer: letter.consumer, subject: letter.subject, eventId: letter.eventId, type: letter.type },
    });
    this.auditWritten();
  }
}

function checkSeq(seq: number): void {
  if (!Number.isInteger(seq) || seq < 1) throw badUserInput('seq: must be a positive whole number', { field: 'seq' });
}
