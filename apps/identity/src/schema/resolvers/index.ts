import { Query } from './query.ts';
import { Mutation } from './mutation.ts';
import { Agency, ApiClient, Unit, User } from './objects.ts';

export const resolvers = { Query, Mutation, Agency, Unit, User, ApiClient };
