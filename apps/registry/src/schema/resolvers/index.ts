import { Query } from './query.ts';
import { Mutation } from './mutation.ts';
import * as objects from './objects.ts';

const { explanation: _explanation, ...types } = objects;
export const resolvers = { Query, Mutation, ...types };
