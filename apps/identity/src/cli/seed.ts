// Loads the demo agencies, units and users (idempotent). Demo users get
// SIMPUL_ADMIN_PASSWORD, or the generated demo password kept in SIMPUL_STATE_DIR.
import { subjectsFor } from '@simpul/contracts';
import { applyMigrations, ConfigError, ensureDatabase } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { hashPassword } from '../auth/password.ts';
import { demoPassword } from '../demo-password.ts';
import { seedDemoData } from '../seed/seed.ts';

try {
  const env = readEnvironment();
  const url = databaseUrl(env);
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  let password = env.SIMPUL_ADMIN_PASSWORD;
  if (password === undefined) {
    const demo = await demoPassword(env.SIMPUL_STATE_DIR);
    password = demo.password;
    console.log(`Demo users' password: ${demo.password} (${demo.generated ? 'generated and ' : ''}kept in ${demo.file})`);
  } else {
    console.log("Demo users' password: the value of SIMPUL_ADMIN_PASSWORD");
  }
  const database = openDatabase(url, { poolSize: 2 });
  try {
    const secret = password;
    const summary = await seedDemoData(database.prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE), passwordHash: () => hashPassword(secret) });
    console.log(
      `Seeded ${new URL(url).pathname.slice(1)}: ${summary.agenciesCreated} agencies created, ${summary.agenciesUpdated} updated, ` +
        `${summary.unitsWritten} units written, ${summary.usersCreated} users created` +
        (summary.agenciesCreated + summary.agenciesUpdated > 0 ? ' (agency events wait in the outbox for the running service)' : ''),
    );
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
  process.exit(1);
}
