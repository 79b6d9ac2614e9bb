import { forbidden, hasRole, requirePrincipal, type Principal } from '@simpul/kit';
import type { Application as ApplicationRow } from '../../db.ts';
import type { Analysis } from '../../analysis/duplicate-analyser.ts';
import { consolidationPlan, type AgencyToContact as ContactRow, type ConsolidationPlan as PlanRow } from '../../duplicates/consolidation-plan.ts';
import type { DuplicateCluster as ClusterResult } from '../../duplicates/find-duplicates.ts';
import { businessFunction } from '../../functions/taxonomy.ts';
import type { DecisionKind } from '../../review/constraints.ts';
import type { RegistryContext } from '../context.ts';
import { iso, type Resolver } from './types.ts';

interface DecisionRow {
  id: string;
  applicationIds: string[];
  decision: DecisionKind;
  reason: string;
  reviewerName: string;
  reviewerAgencyCode: string;
  createdAt: Date;
}

/** National readers, duplicate reviewers, and the administrator of the application's own agency see why it is flagged. */
export function canSeeCandidates(principal: Principal, ownerAgencyCode: string): boolean {
  return (
    hasRole(principal, 'NATIONAL_ADMIN', 'AUDITOR', 'DUPLICATE_REVIEWER') || (hasRole(principal, 'AGENCY_ADMIN') && principal.agencyCode === ownerAgencyCode)
  );
}

// One analysis per request, however many applications ask for their candidates.
const analyses = new WeakMap<RegistryContext, Promise<{ analysis: Analysis; clusterOf: Map<string, ClusterResult> }>>();
function clustersOf(context: RegistryContext) {
  let found = analyses.get(context);
  if (!found) {
    found = context.analyser
      .analyse()
      .then((analysis) => ({ analysis, clusterOf: new Map(analysis.clusters.flatMap((c) => c.memberIds.map((id) => [id, c] as const))) }));
    analyses.set(context, found);
  }
  return found;
}

async function applicationsById(ids: readonly string[], { loaders }: RegistryContext): Promise<ApplicationRow[]> {
  return (await Promise.all(ids.map((id) => loaders.application(id)))).filter((row): row is ApplicationRow => row !== null);
}

const money = (value: bigint) => value.toString();

export const reviewResolvers = {
  Query: {
    duplicateReviews: ((_, { applicationId }, { reviews, principal }) => {
      const caller = requirePrincipal(principal);
      if (!hasRole(caller, 'NATIONAL_ADMIN', 'AUDITOR', 'DUPLICATE_REVIEWER'))
        throw forbidden('Duplicate reviews need NATIONAL_ADMIN, AUDITOR or DUPLICATE_REVIEWER');
      return reviews.about(applicationId);
    }) satisfies Resolver<unknown, { applicationId: string }>,
  },
  Mutation: {
    reviewDuplicate: ((_, { applicationIds, decision, reason }, { reviews, principal }) =>
      reviews.review(principal, applicationIds, decision, reason)) satisfies Resolver<
      unknown,
      { applicationIds: string[]; decision: DecisionKind; reason: string }
    >,
  },
  DuplicateReview: {
    applications: ((row, _, context) => applicationsById(row.applicationIds, context)) satisfies Resolver<DecisionRow>,
    reviewedBy: ((row) => row.reviewerName) satisfies Resolver<DecisionRow>,
    createdAt: ((row) => iso(row.createdAt)) satisfies Resolver<DecisionRow>,
  },
  Application: {
    duplicateCandidates: (async (app, _, context) => {
      const caller = requirePrincipal(context.principal);
      if (!canSeeCandidates(caller, app.ownerAgencyCode)) {
        throw forbidden(
          `Duplicate candidates of ${app.ownerAgencyCode}'s applications need NATIONAL_ADMIN, AUDITOR, DUPLICATE_REVIEWER or AGENCY_ADMIN of ${app.ownerAgencyCode}`,
        );
      }
      const { clusterOf } = await clustersOf(context);
      const cluster = clusterOf.get(app.id);
      const candidates = cluster?.candidates?.[app.id] ?? [];
      const rows = await Promise.all(
        candidates.map(async (c) => {
          // The catalogue is readable by every logged-in caller; an application gone since the analysis is left out.
          const application = await context.loaders.application(c.id);
          if (!application) return null;
          const reasons = [
            ...(c.sharedFunctions.length
              ? [`serves the same function: ${c.sharedFunctions.map((code) => businessFunction(code)?.name ?? code).join(', ')}`]
              : []),
            ...(c.sharedTerms.length ? [`describes the same work: ${c.sharedTerms.join(', ')}`] : []),
            `description similarity ${c.textSimilarity.toFixed(2)}`,
            ...(cluster?.confirmed ? ['a reviewer confirmed them as duplicates'] : []),
          ];
          return { application, score: c.score, reasons };
        }),
      );
      return rows.filter((row) => row !== null);
    }) satisfies Resolver<ApplicationRow>,
  },
  DuplicateCluster: {
    confirmed: ((cluster) => cluster.confirmed ?? false) satisfies Resolver<ClusterResult>,
    consolidationPlan: (async (cluster, _, context) => {
      const ids = [...cluster.memberIds, ...(cluster.replacement?.id ? [cluster.replacement.id] : [])];
      const apps = new Map((await applicationsById(ids, context)).map((a) => [a.id, { id: a.id, name: a.name, agencyCode: a.ownerAgencyCode }]));
      return consolidationPlan(cluster, (id) => apps.get(id));
    }) satisfies Resolver<ClusterResult>,
  },
  ConsolidationPlan: {
    target: ((plan, _, { loaders }) => (plan.targetId ? loaders.application(plan.targetId) : null)) satisfies Resolver<PlanRow>,
    retiredApplications: ((plan, _, context) => applicationsById(plan.retiredIds, context)) satisfies Resolver<PlanRow>,
    yearlySavingRupiah: ((plan) => money(plan.savingRupiah)) satisfies Resolver<PlanRow>,
  },
  AgencyToContact: {
    agency: (async (row, _, { loaders }) => ((await loaders.knownAgency(row.agencyCode)) ? { code: row.agencyCode } : null)) satisfies Resolver<ContactRow>,
    applications: ((row, _, context) => applicationsById(row.applicationIds, context)) satisfies Resolver<ContactRow>,
  },
};
