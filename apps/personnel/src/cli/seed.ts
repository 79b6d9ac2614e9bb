// Loads the demo employees (idempotent). Their `employee.appointed` events wait in the
// outbox until the running service publishes them; identity then opens the accounts.
import { subjectsFor } from '@simpul/contracts';
import { applyMigrations, ConfigError, ensureDatabase } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { seedDemoEmployees } from '../seed/seed.ts';

try {
  const env = readEnvironment();
  const url = databaseUrl(env);
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  const database = openDatabase(url, { poolSize: 2 });
  try {
    const summary = await seedDemoEmployees(database.prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE) });
    console.log(
      `Seeded ${new URL(url).pathname.slice(1)}: ${summary.employeesCreated} employees created, ${summary.employeesKept} already there` +
        (summary.employeesCreated > 0 ? ' (their appointment events wait in the outbox for the running service)' : ''),
    );
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
  process.exit(1);
}
