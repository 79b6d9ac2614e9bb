import type { RegisterApplicationInput, UpdateApplicationInput } from '../../applications/application-manager.ts';
import type { SetAdoptionInput } from '../../adoption/adoption-manager.ts';
import type { Resolver } from './types.ts';

export const Mutation = {
  registerApplication: ((_, { input }, { applications, principal }) => applications.register(principal, input)) satisfies Resolver<
    unknown,
    { input: RegisterApplicationInput }
  >,
  updateApplication: ((_, { id, input }, { applications, principal }) => applications.update(principal, id, input)) satisfies Resolver<
    unknown,
    { id: string; input: UpdateApplicationInput }
  >,
  designateCommonApplication: ((_, { id }, { applications, principal }) => applications.designate(principal, id)) satisfies Resolver<unknown, { id: string }>,
  grantServiceAccess: ((_, { serviceIdentifier, clientSubsystem }, { access, principal }) =>
    access.grant(principal, serviceIdentifier, clientSubsystem)) satisfies Resolver<unknown, { serviceIdentifier: string; clientSubsystem: string }>,
  revokeServiceAccess: ((_, { serviceIdentifier, clientSubsystem }, { access, principal }) =>
    access.revoke(principal, serviceIdentifier, clientSubsystem)) satisfies Resolver<unknown, { serviceIdentifier: string; clientSubsystem: string }>,
  setAdoption: ((_, { input }, { adoptions, principal }) => adoptions.set(principal, input)) satisfies Resolver<unknown, { input: SetAdoptionInput }>,
};
