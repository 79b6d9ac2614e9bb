// Creates the telemetry database when missing and applies pending migrations.
import { runMigrateCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';

await runMigrateCommand(() => databaseUrl(readEnvironment()), MIGRATIONS_DIR);
