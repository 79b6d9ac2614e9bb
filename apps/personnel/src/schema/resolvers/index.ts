import { Query } from './query.ts';
import { Mutation } from './mutation.ts';
import { Agency, CareerEvent, Employee, EmployeeHeadcount, PendingTransfer, User } from './objects.ts';

export const resolvers = { Query, Mutation, Employee, CareerEvent, EmployeeHeadcount, PendingTransfer, Agency, User };
