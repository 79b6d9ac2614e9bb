// Loads the demo catalogue (idempotent); its events wait in the outbox for the running service.
import { subjectsFor } from '@simpul/contracts';
import { applyMigrations, ConfigError, ensureDatabase } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { seedDemoData } from '../seed/seed.ts';

try {
  const env = readEnvironment();
  const url = databaseUrl(env);
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  const database = openDatabase(url, { poolSize: 2 });
  try {
    const summary = await seedDemoData(database.prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE) });
    console.log(
      `Seeded ${new URL(url).pathname.slice(1)}: ${summary.applicationsCreated} applications, ${summary.adoptionsCreated} adoptions, ${summary.accessRightsCreated} access rights`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
  process.exit(1);
}
