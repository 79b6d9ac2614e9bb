import { recordAudit } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { badUserInput, conflict, forbidden, hasRole, notFound, requirePrincipal, type Principal } from '@simpul/kit';
import type { PrismaClient } from '../db.ts';
import { auditEntry, isUuid } from '../applications/application-manager.ts';
import type { ApplicationStore } from '../applications/application-store.ts';
import type { DuplicateAnalyser } from '../analysis/duplicate-analyser.ts';
import { effectiveDecisions, type DecisionKind } from './constraints.ts';
import type { DecisionStore } from './decision-store.ts';

/** A set reviewed at once: a pair or a cluster (clusters of hundreds are split by the reviewer, not here). */
const MAX_IDS = 50;
const DECISIONS: readonly DecisionKind[] = ['CONFIRMED', 'REJECTED'];

/** National administrators and duplicate reviewers decide on the finder's clusters. */
export function requireDuplicateReviewer(principal: Principal | null): Principal {
  const caller = requirePrincipal(principal);
  if (!hasRole(caller, 'NATIONAL_ADMIN', 'DUPLICATE_REVIEWER')) throw forbidden('Reviewing duplicates needs the role NATIONAL_ADMIN or DUPLICATE_REVIEWER');
  return caller;
}

/**
 * Review of the duplicate finder's answers: a reviewer confirms a cluster or pair (they
 * stay together whatever the catalogue becomes) or rejects it (never linked again), with
 * a reason. Each decision is stored with its audit entry in one transaction, and the
 * analysis is recomputed to follow it.
 */
export class ReviewManager {
  constructor(
    private readonly decisions: DecisionStore,
    private readonly applications: ApplicationStore,
    private readonly analyser: DuplicateAnalyser,
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
  ) {}

  async review(principal: Principal | null, applicationIds: readonly string[], decision: DecisionKind, reason: string) {
    let caller: Principal;
    try {
      caller = requireDuplicateReviewer(principal);
    } catch (error) {
      if (principal) await this.deny(principal, applicationIds);
      throw error;
    }
    const ids = [...new Set(applicationIds)];
    if (ids.length < 2 || ids.length > MAX_IDS) throw badUserInput(`applicationIds: name 2 to ${MAX_IDS} different applications`, { field: 'applicationIds' });
    if (!DECISIONS.includes(decision)) throw badUserInput('decision: CONFIRMED or REJECTED', { field: 'decision' });
    const why = reason.trim();
    if (why.length < 3 || why.length > 2000) throw badUserInput('reason: say why, in 3-2000 characters', { field: 'reason' });
    const found = await this.applications.findByIds(ids.filter(isUuid));
    const missing = ids.filter((id) => !found.some((a) => a.id === id));
    if (missing.length) throw notFound(`No application has the id "${missing[0]}"`);

    const history = await this.decisions.history();
    const next = effectiveDecisions([...history, { applicationIds: ids, decision }]);
    if (next.conflict) {
      const named = await this.applications.findByIds(next.conflict.path);
      const name = (id: string) => named.find((a) => a.id === id)?.name ?? id;
      throw conflict(
        `applicationIds: ${name(next.conflict.pair[0])} and ${name(next.conflict.pair[1])} would be both rejected and confirmed together ` +
          `(confirmations join ${next.conflict.path.map(name).join(' → ')}); reject or confirm the joining pairs first`,
      );
    }
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await this.decisions.create(tx, {
        applicationIds: ids,
        decision,
        reason: why,
        reviewerId: caller.id,
        reviewerName: caller.username,
        reviewerAgencyCode: caller.agencyCode,
      });
      await recordAudit(
        tx,
        this.subjects,
        'registry',
        auditEntry(caller, 'duplicate.review', `applications:${ids.join(',')}`, 'SUCCESS', { decision, reason: why, decisionId: created.id }),
      );
      return created;
    });
    this.eventsWritten();
    // The kept analysis is older than this decision now; recompute it in the background.
    this.analyser.schedule();
    return row;
  }

  /** Decisions naming an application, newest first (for reviewers and national readers). */
  about(applicationId: string) {
    return this.decisions.about(applicationId);
  }

  private async deny(principal: Principal, ids: readonly string[]): Promise<void> {
    await recordAudit(this.prisma, this.subjects, 'registry', auditEntry(principal, 'duplicate.review', `applications:${ids.join(',')}`, 'DENIED'));
    this.eventsWritten();
  }
}
