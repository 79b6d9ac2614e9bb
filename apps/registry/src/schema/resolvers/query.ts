import { badUserInput, lookupKeys } from '@simpul/kit';
import type { ListApplicationsInput } from '../../applications/application-manager.ts';
import { requireDuplicateReader, requireReader } from '../../auth/permissions.ts';
import { BUSINESS_FUNCTIONS } from '../../functions/taxonomy.ts';
import type { Resolver } from './types.ts';

export const Query = {
  applications: ((_, args, { applications, principal }) => applications.list(principal, args)) satisfies Resolver<unknown, ListApplicationsInput>,
  application: ((_, { id }, { applications, principal }) => applications.get(principal, id)) satisfies Resolver<unknown, { id: string }>,
  businessFunctions: ((_, __, { principal }) => {
    requireReader(principal);
    return BUSINESS_FUNCTIONS;
  }) satisfies Resolver,
  duplicateClusters: (async (_, { minScore }, { analyser, principal }) => {
    requireDuplicateReader(principal);
    if (minScore != null && !(minScore >= 0.05 && minScore <= 1)) throw badUserInput('minScore: must be between 0.05 and 1', { field: 'minScore' });
    return (await analyser.analyse(minScore ?? undefined)).clusters;
  }) satisfies Resolver<unknown, { minScore?: number | null }>,
  servicesCallableBy: ((_, { clientSubsystem }, { access, principal }) => access.callableBy(principal, clientSubsystem)) satisfies Resolver<
    unknown,
    { clientSubsystem: string }
  >,
  agencyApplicationReport: ((_, { agencyCode }, { reports, principal }) => reports.agency(principal, agencyCode)) satisfies Resolver<
    unknown,
    { agencyCode: string }
  >,
  nationalApplicationReport: ((_, __, { reports, principal }) => reports.national(principal)) satisfies Resolver,
  // The gateway asks for Agency.applications through this; the stub carries the code.
  _registryAgencies: ((_, { codes }) => lookupKeys(codes, 'codes').map((code) => ({ code }))) satisfies Resolver<unknown, { codes: string[] }>,
};
