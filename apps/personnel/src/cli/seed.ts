// Loads the demo employees (idempotent). Their `employee.appointed` events wait in the
// outbox until the running service publishes them; identity then opens the accounts.
import { subjectsFor } from '@simpul/contracts';
import { runSeedCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { seedDemoEmployees } from '../seed/seed.ts';

await runSeedCommand(() => {
  const env = readEnvironment();
  return {
    databaseUrl: databaseUrl(env),
    migrationsDir: MIGRATIONS_DIR,
    openDatabase: (url) => openDatabase(url, { poolSize: 2 }),
    seed: async (prisma, name) => {
      const summary = await seedDemoEmployees(prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE) });
      return (
        `Seeded ${name}: ${summary.employeesCreated} employees created, ${summary.employeesKept} already there` +
        (summary.employeesCreated > 0 ? ' (their appointment events wait in the outbox for the running service)' : '')
      );
    },
  };
});
