import type { AdoptionState } from './adoption-store.ts';

export interface AppFacts {
  id: string;
  ownerAgencyCode: string;
  name: string;
  functionCodes: readonly string[];
  kind: 'UMUM' | 'KHUSUS';
  replacedById: string | null;
}

export interface AdoptionFacts {
  commonApplicationId: string;
  agencyCode: string;
  state: AdoptionState;
}

export interface Rate {
  adopted: number;
  migrating: number;
  notStarted: number;
  /** adopted / (adopted + migrating + notStarted); 0 when nobody is concerned. */
  rate: number;
}

export interface CommonAdoption extends Rate {
  commonApplicationId: string;
  agencies: { agencyCode: string; state: AdoptionState }[];
  /** Applications an adoption pointed at this aplikasi umum. */
  retiredApplicationIds: string[];
}

export interface AdoptionOverview {
  byCommon: CommonAdoption[];
  byFunction: (Rate & { functionCode: string })[];
  byAgency: (Rate & { agencyCode: string })[];
}

/**
 * Who should be on each aplikasi umum, and how far they are. An agency is concerned by an
 * aplikasi umum when it recorded an adoption of it, or when it owns an application of its
 * own serving one of the functions the aplikasi umum covers; without a record its state is
 * NOT_STARTED. Rates count ADOPTED over every concerned (agency, aplikasi umum) pair,
 * per aplikasi umum, per function it covers, and per agency.
 */
export function adoptionOverview(apps: readonly AppFacts[], adoptions: readonly AdoptionFacts[]): AdoptionOverview {
  const commons = apps.filter((a) => a.kind === 'UMUM');
  const recorded = new Map(adoptions.map((a) => [`${a.commonApplicationId}|${a.agencyCode}`, a.state]));
  const pairs: { common: AppFacts; agencyCode: string; state: AdoptionState }[] = [];
  const byCommon: CommonAdoption[] = commons.map((common) => {
    const agencies = new Set(adoptions.filter((a) => a.commonApplicationId === common.id).map((a) => a.agencyCode));
    for (const app of apps) {
      if (app.kind === 'KHUSUS' && app.ownerAgencyCode !== common.ownerAgencyCode && app.functionCodes.some((f) => common.functionCodes.includes(f))) {
        agencies.add(app.ownerAgencyCode);
      }
    }
    const list = [...agencies].sort().map((agencyCode) => ({ agencyCode, state: recorded.get(`${common.id}|${agencyCode}`) ?? ('NOT_STARTED' as const) }));
    for (const entry of list) pairs.push({ common, ...entry });
    return {
      commonApplicationId: common.id,
      agencies: list,
      retiredApplicationIds: apps.filter((a) => a.replacedById === common.id).map((a) => a.id),
      ...rate(list.map((e) => e.state)),
    };
  });
  const functions = [...new Set(commons.flatMap((c) => c.functionCodes))].sort();
  const agencyCodes = [...new Set(pairs.map((p) => p.agencyCode))].sort();
  return {
    byCommon,
    byFunction: functions.map((functionCode) => ({
      functionCode,
      ...rate(pairs.filter((p) => p.common.functionCodes.includes(functionCode)).map((p) => p.state)),
    })),
    byAgency: agencyCodes.map((agencyCode) => ({ agencyCode, ...rate(pairs.filter((p) => p.agencyCode === agencyCode).map((p) => p.state)) })),
  };
}

function rate(states: AdoptionState[]): Rate {
  const adopted = states.filter((s) => s === 'ADOPTED').length;
  const migrating = states.filter((s) => s === 'MIGRATING').length;
  const notStarted = states.length - adopted - migrating;
  return { adopted, migrating, notStarted, rate: states.length ? Math.round((adopted / states.length) * 1000) / 1000 : 0 };
}
