import type {
  AppointEmployeeInput,
  ChangePositionInput,
  ConfirmEmployeeInput,
  PromoteEmployeeInput,
  RetireEmployeeInput,
} from '../../employees/employee-manager.ts';
import type { AcceptTransferInput, EndTransferInput, TransferEmployeeInput } from '../../transfers/transfer-manager.ts';
import type { Resolver } from './types.ts';

type Args<T> = Resolver<unknown, T>;

export const Mutation = {
  appointEmployee: ((_, { input }, { employees, principal }) => employees.appoint(principal, input)) satisfies Args<{ input: AppointEmployeeInput }>,
  transferEmployee: ((_, args, { transfers, principal }) => transfers.transfer(principal, args)) satisfies Args<TransferEmployeeInput>,
  acceptTransfer: ((_, args, { transfers, principal }) => transfers.accept(principal, args)) satisfies Args<AcceptTransferInput>,
  rejectTransfer: ((_, args, { transfers, principal }) => transfers.reject(principal, args)) satisfies Args<EndTransferInput>,
  cancelTransfer: ((_, args, { transfers, principal }) => transfers.cancel(principal, args)) satisfies Args<EndTransferInput>,
  confirmEmployee: ((_, { input }, { employees, principal }) => employees.confirm(principal, input)) satisfies Args<{ input: ConfirmEmployeeInput }>,
  promoteEmployee: ((_, { input }, { employees, principal }) => employees.promote(principal, input)) satisfies Args<{ input: PromoteEmployeeInput }>,
  changePosition: ((_, { input }, { employees, principal }) => employees.changePosition(principal, input)) satisfies Args<{ input: ChangePositionInput }>,
  retireEmployee: ((_, { input }, { employees, principal }) => employees.retire(principal, input)) satisfies Args<{ input: RetireEmployeeInput }>,
};
