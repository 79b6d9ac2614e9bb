// Telemetry has no demo data (the demo platform's own traffic fills it); like every
// service's db:seed, this creates and migrates the database so `npm start` treats all alike.
import { runSeedCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';

await runSeedCommand(() => ({
  databaseUrl: databaseUrl(readEnvironment()),
  migrationsDir: MIGRATIONS_DIR,
  openDatabase: (url) => openDatabase(url, { poolSize: 2 }),
  seed: async (_prisma, name) => `Seeded ${name}: nothing to load (telemetry fills from the platform's own traffic)`,
}));
