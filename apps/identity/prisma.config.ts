import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { NameAsTextPool, serviceDatabaseUrl } from '@simpul/kit';

// The Prisma CLI loads this file, not our service, so it reads DATABASE_URL itself.
// The CLI runs the WebAssembly engines through the pg adapter (`engine: 'js'`), so no
// engine binary is downloaded (Prisma is pinned at 6.19.3 for this).
const env = process.env;
const url = serviceDatabaseUrl(env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432', 'identity', env.SIMPUL_NAMESPACE || 'simpul');
// Prisma 6 insists on a datasource url in the schema even when an adapter is used.
env.PRISMA_DATASOURCE_URL ??= url;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => new PrismaPg(new NameAsTextPool({ connectionString: url, max: 2, idleTimeoutMillis: 50, allowExitOnIdle: true })),
});
