import { Query } from './query.ts';
import { Mutation } from './mutation.ts';
import { Agency, ApiClient, Employee, Unit, User } from './objects.ts';
import { AuditEntry } from './audit.ts';

export const resolvers = { Query, Mutation, Agency, Unit, User, ApiClient, AuditEntry, Employee };
