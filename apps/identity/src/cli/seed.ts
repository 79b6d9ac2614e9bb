// Loads the demo agencies, units and users (idempotent). Demo users get
// SIMPUL_ADMIN_PASSWORD, or the generated demo password kept in SIMPUL_STATE_DIR.
import { subjectsFor } from '@simpul/contracts';
import { runSeedCommand } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { MIGRATIONS_DIR } from '../service.ts';
import { hashPassword } from '../auth/password.ts';
import { demoPassword } from '../demo-password.ts';
import { seedDemoData } from '../seed/seed.ts';

await runSeedCommand(() => {
  const env = readEnvironment();
  return {
    databaseUrl: databaseUrl(env),
    migrationsDir: MIGRATIONS_DIR,
    openDatabase: (url) => openDatabase(url, { poolSize: 2 }),
    seed: async (prisma, name) => {
      let password = env.SIMPUL_ADMIN_PASSWORD;
      if (password === undefined) {
        const demo = await demoPassword(env.SIMPUL_STATE_DIR);
        password = demo.password;
        console.log(`Demo users' password: ${demo.password} (${demo.generated ? 'generated and ' : ''}kept in ${demo.file})`);
      } else {
        console.log("Demo users' password: the value of SIMPUL_ADMIN_PASSWORD");
      }
      const secret = password;
      const summary = await seedDemoData(prisma, { subjects: subjectsFor(env.SIMPUL_NAMESPACE), passwordHash: () => hashPassword(secret) });
      return (
        `Seeded ${name}: ${summary.agenciesCreated} agencies created, ${summary.agenciesUpdated} updated, ` +
        `${summary.unitsWritten} units written, ${summary.usersCreated} users created` +
        (summary.agenciesCreated + summary.agenciesUpdated > 0 ? ' (agency events wait in the outbox for the running service)' : '')
      );
    },
  };
});
