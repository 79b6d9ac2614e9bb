import type { AccessRight, Adoption as AdoptionRow, Application as ApplicationRow, ExposedService as ServiceRow } from '../../db.ts';
import type { DuplicateCluster as ClusterResult } from '../../duplicates/find-duplicates.ts';
import { businessFunction, type BusinessFunction as FunctionRow } from '../../functions/taxonomy.ts';
import type { Rate } from '../../adoption/adoption-rates.ts';
import { requireReader } from '../../auth/permissions.ts';
import type { RegistryContext } from '../context.ts';
import { iso, type Resolver } from './types.ts';

const functionOf = (code: string): FunctionRow => businessFunction(code) ?? { code, name: code, description: '', commonApplication: null };
/** An Agency stub for the gateway to complete, or null when identity has not announced the agency. */
const agencyStub = async (code: string, { loaders }: RegistryContext) => ((await loaders.knownAgency(code)) ? { code } : null);
const money = (value: bigint) => value.toString();

async function applicationsById(ids: readonly string[], { loaders }: RegistryContext): Promise<ApplicationRow[]> {
  const rows = await Promise.all(ids.map((id) => loaders.application(id)));
  return rows.filter((row): row is ApplicationRow => row !== null);
}

export const Agency = {
  // A merged field: the gateway reaches it from any Agency (identity's agencies are public),
  // so it checks the caller as Query.applications does.
  applications: ((agency, _, { loaders, principal }) => {
    requireReader(principal);
    return loaders.applicationsOfAgency(agency.code);
  }) satisfies Resolver<{ code: string }>,
};

export const Application = {
  owner: ((app, _, context) => agencyStub(app.ownerAgencyCode, context)) satisfies Resolver<ApplicationRow>,
  functions: ((app) => app.functionCodes.map(functionOf)) satisfies Resolver<ApplicationRow>,
  annualCostRupiah: ((app) => money(app.annualCostRupiah)) satisfies Resolver<ApplicationRow>,
  services: ((app, _, { loaders }) => loaders.services(app.id)) satisfies Resolver<ApplicationRow>,
  replacedBy: ((app, _, { loaders }) => (app.replacedById ? loaders.application(app.replacedById) : null)) satisfies Resolver<ApplicationRow>,
  designatedAt: ((app) => iso(app.designatedAt)) satisfies Resolver<ApplicationRow>,
  createdAt: ((app) => iso(app.createdAt)) satisfies Resolver<ApplicationRow>,
  updatedAt: ((app) => iso(app.updatedAt)) satisfies Resolver<ApplicationRow>,
};

export const BusinessFunction = {
  commonApplicationName: ((f) => f.commonApplication) satisfies Resolver<FunctionRow>,
};

export const ExposedService = {
  application: ((service, _, { loaders }) => loaders.application(service.applicationId)) satisfies Resolver<ServiceRow>,
  allowedClients: (async (service, _, { loaders }) => (await loaders.accessRights(service.id)).map((r) => r.clientSubsystem)) satisfies Resolver<ServiceRow>,
};

export const ServiceAccessRight = {
  createdAt: ((right) => iso(right.createdAt)) satisfies Resolver<AccessRight>,
};

export const DuplicateCluster = {
  applications: ((cluster, _, context) => applicationsById(cluster.memberIds, context)) satisfies Resolver<ClusterResult>,
  sharedFunctions: ((cluster) =>
    cluster.sharedFunctions.map((f) => ({ function: functionOf(f.code), applicationCount: f.count }))) satisfies Resolver<ClusterResult>,
  sharedWords: ((cluster) => cluster.sharedTerms) satisfies Resolver<ClusterResult>,
  explanation: ((cluster) => explanation(cluster)) satisfies Resolver<ClusterResult>,
  replacement: ((cluster, _, { loaders }) =>
    cluster.replacement
      ? { name: cluster.replacement.name, application: cluster.replacement.id ? loaders.application(cluster.replacement.id) : null }
      : null) satisfies Resolver<ClusterResult>,
  keptApplication: ((cluster, _, { loaders }) => (cluster.keptId ? loaders.application(cluster.keptId) : null)) satisfies Resolver<ClusterResult>,
  retiredApplications: ((cluster, _, context) => applicationsById(cluster.retiredIds, context)) satisfies Resolver<ClusterResult>,
  yearlySavingRupiah: ((cluster) => money(cluster.savingRupiah)) satisfies Resolver<ClusterResult>,
};

/** One sentence a reader can check against the members. */
export function explanation(cluster: ClusterResult): string {
  const functions = cluster.sharedFunctions.map((f) => `${functionOf(f.code).name} (${f.count})`).join(', ');
  const words = cluster.sharedTerms
    .slice(0, 5)
    .map((w) => `"${w}"`)
    .join(', ');
  const action = cluster.replacement
    ? `could move onto ${cluster.replacement.name}`
    : 'could share one application (the most used) since no aplikasi umum covers them';
  return (
    `${cluster.memberIds.length} applications of ${cluster.agencyCodes.length} agencies serve ${functions || 'the same functions'}` +
    `${words ? ` and describe the same work (${words})` : ''}; they ${action}, saving Rp ${Number(cluster.savingRupiah).toLocaleString('id-ID')} a year.`
  );
}

export const Adoption = {
  commonApplication: ((adoption, _, { loaders }) => loaders.application(adoption.commonApplicationId)) satisfies Resolver<AdoptionRow>,
  agency: ((adoption, _, context) => agencyStub(adoption.agencyCode, context)) satisfies Resolver<AdoptionRow>,
  updatedAt: ((adoption) => iso(adoption.updatedAt)) satisfies Resolver<AdoptionRow>,
};

export const AgencyAdoptionState = {
  agency: ((row, _, context) => agencyStub(row.agencyCode, context)) satisfies Resolver<{ agencyCode: string }>,
};

export const CommonApplicationAdoption = {
  adoptionRate: ((row) => row.rate) satisfies Resolver<Rate>,
};

export const FunctionAdoptionRate = {
  function: ((row) => functionOf(row.functionCode)) satisfies Resolver<{ functionCode: string }>,
  adoptionRate: ((row) => row.rate) satisfies Resolver<Rate>,
};

export const AgencyAdoptionRate = {
  agency: ((row, _, context) => agencyStub(row.agencyCode, context)) satisfies Resolver<{ agencyCode: string }>,
  adoptionRate: ((row) => row.rate) satisfies Resolver<Rate>,
};

export const FunctionDuplication = {
  function: ((row) => functionOf(row.functionCode)) satisfies Resolver<{ functionCode: string }>,
  potentialSavingRupiah: ((row) => money(row.potentialSavingRupiah)) satisfies Resolver<{ potentialSavingRupiah: bigint }>,
};

export const CommonApplicationState = {
  commonApplication: ((row) => row.application) satisfies Resolver<{ application: ApplicationRow }>,
};

type Money = { annualSpendRupiah: bigint; potentialSavingRupiah: bigint };

export const AgencyApplicationReport = {
  agency: ((report, _, context) => agencyStub(report.agencyCode, context)) satisfies Resolver<{ agencyCode: string }>,
  annualSpendRupiah: ((report) => money(report.annualSpendRupiah)) satisfies Resolver<Money>,
  potentialSavingRupiah: ((report) => money(report.potentialSavingRupiah)) satisfies Resolver<Money>,
};

export const NationalApplicationReport = {
  annualSpendRupiah: ((report) => money(report.annualSpendRupiah)) satisfies Resolver<Money>,
  potentialSavingRupiah: ((report) => money(report.potentialSavingRupiah)) satisfies Resolver<Money>,
};
