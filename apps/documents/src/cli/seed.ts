// Loads the demo letters and the demo employees' read model (once; idempotent).
import { subjectsFor } from '@simpul/contracts';
import { openMasterKeyEncryption, runSeedCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { ArchiveManager } from '../archive/archive-manager.ts';
import { seedDemoData } from '../seed/seed.ts';

await runSeedCommand(() => {
  const env = readEnvironment();
  return {
    databaseUrl: databaseUrl(env),
    migrationsDir: MIGRATIONS_DIR,
    openDatabase: (url) => openDatabase(url, { poolSize: 8 }),
    seed: async (prisma, name) => {
      await new ArchiveManager(prisma).ensureClassificationCodes();
      const summary = await seedDemoData(prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE), keyEncryption: await openMasterKeyEncryption(env) });
      return summary.skipped
        ? `Documents already seeded; ${summary.employees} demo employees checked`
        : `Seeded ${name}: ${summary.documentsCreated} documents, ${summary.employees} demo employees`;
    },
  };
});
