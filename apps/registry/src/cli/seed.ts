// Loads the demo catalogue (idempotent); its events wait in the outbox for the running service.
import { subjectsFor } from '@simpul/contracts';
import { runSeedCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { seedDemoData } from '../seed/seed.ts';

await runSeedCommand(() => {
  const env = readEnvironment();
  return {
    databaseUrl: databaseUrl(env),
    migrationsDir: MIGRATIONS_DIR,
    openDatabase: (url) => openDatabase(url, { poolSize: 2 }),
    seed: async (prisma, name) => {
      const summary = await seedDemoData(prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE) });
      return `Seeded ${name}: ${summary.applicationsCreated} applications, ${summary.adoptionsCreated} adoptions, ${summary.accessRightsCreated} access rights`;
    },
  };
});
