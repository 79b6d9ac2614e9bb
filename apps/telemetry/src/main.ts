import { runProcess } from '@simpul/kit';
import { readEnvironment } from './environment.ts';

await runProcess({
  name: 'telemetry',
  readEnvironment,
  start: async (env, logger) => (await import('./service.ts')).startTelemetryService(env, { logger }),
});
