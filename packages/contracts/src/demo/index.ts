export * from './agencies.ts';
export * from './employees.ts';
export { seededRandom } from './seeded-random.ts';
