// Loads the demo letters and the demo employees' read model (once; idempotent).
import { subjectsFor } from '@simpul/contracts';
import { applyMigrations, ConfigError, ensureDatabase } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { ArchiveManager } from '../archive/archive-manager.ts';
import { seedDemoData } from '../seed/seed.ts';

try {
  const env = readEnvironment();
  const url = databaseUrl(env);
  await ensureDatabase(url);
  await applyMigrations(url, MIGRATIONS_DIR);
  const database = openDatabase(url, { poolSize: 8 });
  try {
    await new ArchiveManager(database.prisma).ensureClassificationCodes();
    const summary = await seedDemoData(database.prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE) });
    console.log(
      summary.skipped
        ? `Documents already seeded; ${summary.employees} demo employees checked`
        : `Seeded ${new URL(url).pathname.slice(1)}: ${summary.documentsCreated} documents, ${summary.employees} demo employees`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
  process.exit(1);
}
