export * from './services.ts';
export * from './subjects.ts';
export * from './errors.ts';
export * from './roles.ts';
export * from './agency.ts';
export * from './events.ts';
