import type { Principal } from '@simpul/kit';
import type { Application } from '../db.ts';
import { requireAgencyReader, requireNationalReader } from '../auth/permissions.ts';
import type { ApplicationStore } from '../applications/application-store.ts';
import type { AdoptionStore, AdoptionState } from '../adoption/adoption-store.ts';
import { adoptionOverview, type AdoptionOverview, type Rate } from '../adoption/adoption-rates.ts';
import type { DuplicateAnalyser } from '../analysis/duplicate-analyser.ts';
import type { DuplicateCluster } from '../duplicates/find-duplicates.ts';
import { BUSINESS_FUNCTIONS, businessFunction } from '../functions/taxonomy.ts';
import { toCsv } from './csv.ts';
import { consolidationCsv, plansOf } from './consolidation-csv.ts';

export interface FunctionDuplication {
  functionCode: string;
  clusterCount: number;
  applicationCount: number;
  agencyCount: number;
  /** Savings of the clusters whose main shared function this is (each cluster counted once). */
  potentialSavingRupiah: bigint;
}

export interface NationalReport {
  applicationCount: number;
  agencyCount: number;
  annualSpendRupiah: bigint;
  duplicateClusterCount: number;
  duplicatedApplicationCount: number;
  potentialSavingRupiah: bigint;
  mostDuplicatedFunctions: FunctionDuplication[];
  commonApplications: (Rate & { application: Application; agencies: { agencyCode: string; state: AdoptionState }[]; retiredApplications: Application[] })[];
  adoptionByFunction: AdoptionOverview['byFunction'];
  adoptionByAgency: AdoptionOverview['byAgency'];
  csv: string;
  /** One row per duplicate cluster: its consolidation plan. */
  consolidationCsv: string;
}

export interface AgencyReport {
  agencyCode: string;
  applications: Application[];
  applicationCount: number;
  annualSpendRupiah: bigint;
  duplicateClusters: DuplicateCluster[];
  /** Yearly cost of this agency's applications that consolidation would retire. */
  potentialSavingRupiah: bigint;
  adoptions: { application: Application; state: AdoptionState }[];
  adoptionRate: number;
  csv: string;
}

const live = (a: Application) => a.status !== 'RETIRED';
const sum = (values: bigint[]) => values.reduce((s, v) => s + v, 0n);

/** The agency and national reports: catalogue, spend, duplicates and adoption, also as CSV. */
export class ReportManager {
  constructor(
    private readonly applications: ApplicationStore,
    private readonly adoptions: AdoptionStore,
    private readonly analyser: DuplicateAnalyser,
  ) {}

  async national(principal: Principal | null): Promise<NationalReport> {
    requireNationalReader(principal);
    const [apps, adoptions, analysis] = await Promise.all([this.applications.all(), this.adoptions.all(), this.analyser.analyse()]);
    const byId = new Map(apps.map((a) => [a.id, a]));
    const running = apps.filter(live);
    const overview = adoptionOverview(apps, adoptions);
    const functions = new Map<string, { clusters: number; apps: number; agencies: Set<string>; saving: bigint }>();
    for (const cluster of analysis.clusters) {
      for (const shared of cluster.sharedFunctions) {
        const entry = functions.get(shared.code) ?? { clusters: 0, apps: 0, agencies: new Set<string>(), saving: 0n };
        entry.clusters++;
        entry.apps += shared.count;
        for (const id of cluster.memberIds) {
          const app = byId.get(id);
          if (app?.functionCodes.includes(shared.code)) entry.agencies.add(app.ownerAgencyCode);
        }
        if (shared === cluster.sharedFunctions[0]) entry.saving += cluster.savingRupiah;
        functions.set(shared.code, entry);
      }
    }
    const mostDuplicatedFunctions = [...functions]
      .map(([functionCode, e]) => ({
        functionCode,
        clusterCount: e.clusters,
        applicationCount: e.apps,
        agencyCount: e.agencies.size,
        potentialSavingRupiah: e.saving,
      }))
      .sort(
        (a, b) =>
          b.applicationCount - a.applicationCount || Number(b.potentialSavingRupiah - a.potentialSavingRupiah) || a.functionCode.localeCompare(b.functionCode),
      );
    const commonApplications = overview.byCommon.map(({ commonApplicationId, retiredApplicationIds, ...rest }) => ({
      ...rest,
      application: byId.get(commonApplicationId) as Application,
      retiredApplications: retiredApplicationIds.map((id) => byId.get(id) as Application),
    }));
    const report = {
      applicationCount: running.length,
      agencyCount: new Set(running.map((a) => a.ownerAgencyCode)).size,
      annualSpendRupiah: sum(running.map((a) => a.annualCostRupiah)),
      duplicateClusterCount: analysis.clusters.length,
      duplicatedApplicationCount: analysis.clusters.reduce((n, c) => n + c.memberIds.length, 0),
      potentialSavingRupiah: sum(analysis.clusters.map((c) => c.savingRupiah)),
      mostDuplicatedFunctions,
      commonApplications,
      adoptionByFunction: overview.byFunction,
      adoptionByAgency: overview.byAgency,
    };
    return { ...report, csv: nationalCsv(report, running, overview), consolidationCsv: consolidationCsv(analysis.clusters, byId) };
  }

  async agency(principal: Principal | null, agencyCode: string): Promise<AgencyReport> {
    requireAgencyReader(principal, agencyCode);
    const [apps, adoptions, analysis] = await Promise.all([this.applications.all(), this.adoptions.all(), this.analyser.analyse()]);
    const byId = new Map(apps.map((a) => [a.id, a]));
    const own = apps.filter((a) => a.ownerAgencyCode === agencyCode);
    const ownIds = new Set(own.map((a) => a.id));
    const clusters = analysis.clusters.filter((c) => c.memberIds.some((id) => ownIds.has(id)));
    const retired = new Set(clusters.flatMap((c) => c.retiredIds).filter((id) => ownIds.has(id)));
    const overview = adoptionOverview(apps, adoptions);
    const states = overview.byCommon.flatMap((c) =>
      c.agencies.filter((a) => a.agencyCode === agencyCode).map((a) => ({ application: byId.get(c.commonApplicationId) as Application, state: a.state })),
    );
    const clusterOf = new Map(clusters.flatMap((c) => c.memberIds.map((id) => [id, c] as const)));
    const plans = plansOf(clusters, byId);
    const csv = toCsv(
      [
        'application_id',
        'name',
        'kind',
        'status',
        'functions',
        'annual_cost_rupiah',
        'hosting',
        'users',
        'duplicate_cluster',
        'replacement',
        'retired_by_consolidation',
        'replaced_by',
        'consolidation_action',
        'consolidation_target',
        'agencies_to_contact',
      ],
      own.map((a) => {
        const cluster = clusterOf.get(a.id);
        const plan = cluster ? plans.get(cluster.id) : undefined;
        return [
          a.id,
          a.name,
          a.kind,
          a.status,
          a.functionCodes.join(' '),
          a.annualCostRupiah,
          a.hosting,
          a.userCount,
          cluster?.id ?? null,
          cluster?.replacement?.name ?? null,
          retired.has(a.id) ? 'yes' : 'no',
          a.replacedById ? (byId.get(a.replacedById)?.name ?? a.replacedById) : null,
          plan?.action ?? null,
          plan?.targetName ?? null,
          plan ? plan.agenciesToContact.map((c) => c.agencyCode).join(' ') : null,
        ];
      }),
    );
    return {
      agencyCode,
      applications: own,
      applicationCount: own.filter(live).length,
      annualSpendRupiah: sum(own.filter(live).map((a) => a.annualCostRupiah)),
      duplicateClusters: clusters,
      potentialSavingRupiah: sum([...retired].map((id) => byId.get(id)?.annualCostRupiah ?? 0n)),
      adoptions: states,
      adoptionRate: overview.byAgency.find((a) => a.agencyCode === agencyCode)?.rate ?? 0,
      csv,
    };
  }
}

function nationalCsv(report: Pick<NationalReport, 'mostDuplicatedFunctions'>, running: Application[], overview: AdoptionOverview): string {
  const duplication = new Map(report.mostDuplicatedFunctions.map((f) => [f.functionCode, f]));
  const adoption = new Map(overview.byFunction.map((f) => [f.functionCode, f]));
  return toCsv(
    [
      'function_code',
      'function',
      'aplikasi_umum',
      'applications',
      'annual_spend_rupiah',
      'duplicate_clusters',
      'duplicated_applications',
      'potential_saving_rupiah',
      'adoption_rate',
    ],
    BUSINESS_FUNCTIONS.map((f) => {
      const apps = running.filter((a) => a.functionCodes.includes(f.code));
      const d = duplication.get(f.code);
      return [
        f.code,
        businessFunction(f.code)?.name ?? f.code,
        f.commonApplication,
        apps.length,
        sum(apps.map((a) => a.annualCostRupiah)),
        d?.clusterCount ?? 0,
        d?.applicationCount ?? 0,
        d?.potentialSavingRupiah ?? 0n,
        adoption.get(f.code)?.rate ?? null,
      ];
    }),
  );
}
