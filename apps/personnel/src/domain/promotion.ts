import type { AsnStatus } from '@simpul/contracts';
import { addYears, compareDates, elapsed, formatDate, parseDate } from './dates.ts';
import { describeRank, findRank, nextRank, TOP_RANK } from './ranks.ts';

/** Years in rank before a regular promotion (kenaikan pangkat reguler). */
export const YEARS_IN_RANK = 4;

export interface PromotionRequest {
  asnStatus: AsnStatus;
  currentRank: string;
  /** TMT of the current rank. */
  rankTmt: string;
  effectiveDate: string;
  /** The rank asked for; when given it must be the next step. */
  toRank?: string | null;
  /** Why the promotion comes before four years in rank. */
  reason?: string | null;
  /** Whether the caller is an officer who may authorise an early promotion. */
  mayAuthoriseEarly: boolean;
}

export type PromotionDecision =
  { ok: true; toRank: string; early: boolean } | { ok: false; code: 'BAD_USER_INPUT' | 'FORBIDDEN'; field: string; message: string };

const refuse = (code: 'BAD_USER_INPUT' | 'FORBIDDEN', field: string, message: string): PromotionDecision => ({ ok: false, code, field, message });

/**
 * Kenaikan pangkat: one step up the golongan ladder, never past IV/e, after four years
 * in the current rank; earlier only when an authorised officer gives a reason. A CPNS
 * is promoted only once appointed PNS, and PPPK grades follow the contract instead.
 */
export function decidePromotion(request: PromotionRequest): PromotionDecision {
  if (request.asnStatus === 'PPPK') return refuse('BAD_USER_INPUT', 'nip', 'A PPPK grade follows the employment contract; only a PNS is promoted');
  if (request.asnStatus === 'CPNS') return refuse('BAD_USER_INPUT', 'nip', 'A CPNS is promoted only after appointment as PNS');
  const current = findRank(request.currentRank);
  if (!current || current.scheme !== 'PNS') return refuse('BAD_USER_INPUT', 'nip', `The current rank ${request.currentRank} is not a golongan`);
  if (current.code === TOP_RANK) return refuse('BAD_USER_INPUT', 'toRank', `${describeRank(TOP_RANK)} is the highest rank; there is no promotion past it`);
  const next = nextRank(current.code)!;
  if (request.toRank != null && request.toRank !== next.code) {
    return refuse(
      'BAD_USER_INPUT',
      'toRank',
      `A promotion is one step: from ${describeRank(current.code)} the next rank is ${describeRank(next.code)}, not ${request.toRank}`,
    );
  }
  const tmt = parseDate(request.rankTmt);
  const effective = parseDate(request.effectiveDate);
  if (!tmt || !effective) return refuse('BAD_USER_INPUT', 'effectiveDate', 'effectiveDate: not a date');
  if (compareDates(request.effectiveDate, request.rankTmt) <= 0) {
    return refuse('BAD_USER_INPUT', 'effectiveDate', `effectiveDate: must be after the start of the current rank (${request.rankTmt})`);
  }
  const due = formatDate(addYears(tmt, YEARS_IN_RANK));
  if (compareDates(request.effectiveDate, due) >= 0) return { ok: true, toRank: next.code, early: false };

  const served = elapsed(tmt, effective);
  const reason = request.reason?.trim();
  if (!reason) {
    return refuse(
      'BAD_USER_INPUT',
      'reason',
      `Only ${served.years} years ${served.months} months in ${current.code} (since ${request.rankTmt}); a promotion needs ${YEARS_IN_RANK} years in rank (due ${due}) unless an authorised officer gives a reason`,
    );
  }
  if (!request.mayAuthoriseEarly) {
    return refuse(
      'FORBIDDEN',
      'reason',
      `A promotion before ${YEARS_IN_RANK} years in rank needs an authorised officer (AGENCY_ADMIN of the agency or NATIONAL_ADMIN)`,
    );
  }
  return { ok: true, toRank: next.code, early: true };
}
