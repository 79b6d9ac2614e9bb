export * from './agencies.ts';
