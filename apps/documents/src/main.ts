import { runProcess } from '@simpul/kit';
import { readEnvironment } from './environment.ts';

await runProcess({
  name: 'documents',
  readEnvironment,
  // Imported here, after tracing is set up, so that Prisma's queries are traced.
  start: async (env, logger) => (await import('./service.ts')).startDocumentsService(env, { logger }),
});
