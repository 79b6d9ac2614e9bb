import type {
  AppointEmployeeInput,
  ChangePositionInput,
  ConfirmEmployeeInput,
  PromoteEmployeeInput,
  RetireEmployeeInput,
  TransferEmployeeInput,
} from '../../employees/employee-manager.ts';
import type { Resolver } from './types.ts';

type Args<T> = Resolver<unknown, T>;

export const Mutation = {
  appointEmployee: ((_, { input }, { employees, principal }) => employees.appoint(principal, input)) satisfies Args<{ input: AppointEmployeeInput }>,
  transferEmployee: ((_, args, { employees, principal }) => employees.transfer(principal, args)) satisfies Args<TransferEmployeeInput>,
  confirmEmployee: ((_, { input }, { employees, principal }) => employees.confirm(principal, input)) satisfies Args<{ input: ConfirmEmployeeInput }>,
  promoteEmployee: ((_, { input }, { employees, principal }) => employees.promote(principal, input)) satisfies Args<{ input: PromoteEmployeeInput }>,
  changePosition: ((_, { input }, { employees, principal }) => employees.changePosition(principal, input)) satisfies Args<{ input: ChangePositionInput }>,
  retireEmployee: ((_, { input }, { employees, principal }) => employees.retire(principal, input)) satisfies Args<{ input: RetireEmployeeInput }>,
};
