export * from './agencies.ts';
export * from './employees.ts';
