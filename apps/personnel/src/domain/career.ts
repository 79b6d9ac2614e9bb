import type { AsnStatus, PositionType } from '@simpul/contracts';
import { compareDates } from './dates.ts';

export type CareerEventKind = 'APPOINTMENT' | 'CONFIRMATION' | 'PROMOTION' | 'TRANSFER' | 'POSITION_CHANGE' | 'RETIREMENT';

/** A career event as far as the state is concerned: its kind, date, and the fields it sets. */
export interface CareerStep {
  kind: CareerEventKind;
  effectiveDate: string;
  asnStatus?: AsnStatus | null;
  agencyCode?: string | null;
  unitCode?: string | null;
  rank?: string | null;
  positionName?: string | null;
  positionType?: PositionType | null;
}

/** What an employee's career adds up to now. */
export interface CareerState {
  asnStatus: AsnStatus;
  agencyCode: string;
  unitCode: string | null;
  rank: string;
  rankTmt: string;
  positionName: string;
  positionType: PositionType;
  status: 'ACTIVE' | 'RETIRED';
  retiredOn: string | null;
  /** Effective date of the latest event; a new one may not take effect before it. */
  lastEffectiveDate: string;
  /** How many events were applied. */
  version: number;
}

export class CareerError extends Error {}

function need<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new CareerError(`${what} is missing`);
  return value;
}

/**
 * Applies one event to the state it follows. The history is the truth; the stored
 * current state is always `foldCareer(history)`, and the store writes both at once.
 */
export function applyCareerStep(state: CareerState | null, step: CareerStep): CareerState {
  if (step.kind === 'APPOINTMENT') {
    if (state) throw new CareerError('An employee is appointed once');
    return {
      asnStatus: need(step.asnStatus, 'asnStatus'),
      agencyCode: need(step.agencyCode, 'agencyCode'),
      unitCode: step.unitCode ?? null,
      rank: need(step.rank, 'rank'),
      rankTmt: step.effectiveDate,
      positionName: need(step.positionName, 'positionName'),
      positionType: need(step.positionType, 'positionType'),
      status: 'ACTIVE',
      retiredOn: null,
      lastEffectiveDate: step.effectiveDate,
      version: 1,
    };
  }
  if (!state) throw new CareerError('A career starts with an appointment');
  if (state.status === 'RETIRED') throw new CareerError('The employee has retired; the record is closed');
  if (compareDates(step.effectiveDate, state.lastEffectiveDate) < 0) {
    throw new CareerError(`effectiveDate ${step.effectiveDate} is before the latest career event (${state.lastEffectiveDate})`);
  }
  const next: CareerState = { ...state, lastEffectiveDate: step.effectiveDate, version: state.version + 1 };
  switch (step.kind) {
    case 'CONFIRMATION':
      if (state.asnStatus !== 'CPNS') throw new CareerError(`Only a CPNS is confirmed as PNS, not a ${state.asnStatus}`);
      return { ...next, asnStatus: 'PNS' };
    case 'PROMOTION':
      return { ...next, rank: need(step.rank, 'rank'), rankTmt: step.effectiveDate };
    case 'TRANSFER':
      return { ...next, agencyCode: need(step.agencyCode, 'agencyCode'), unitCode: step.unitCode ?? null };
    case 'POSITION_CHANGE':
      return { ...next, positionName: need(step.positionName, 'positionName'), positionType: need(step.positionType, 'positionType') };
    case 'RETIREMENT':
      return { ...next, status: 'RETIRED', retiredOn: step.effectiveDate };
  }
}

/** The state a whole history (oldest first) adds up to. */
export function foldCareer(history: readonly CareerStep[]): CareerState {
  const state = history.reduce<CareerState | null>(applyCareerStep, null);
  if (!state) throw new CareerError('An empty history has no state');
  return state;
}
