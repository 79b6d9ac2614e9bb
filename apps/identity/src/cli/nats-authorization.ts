// Writes nats-server's authorization file from identity's API clients (the platform user
// plus one NKey user per active client) and, with NATS_SERVER_PID_FILE, reloads the server.
// Identity does the same by itself after every registration or revocation; run this once
// before the first start of a server that admits agency systems (infra/nats/README.md).
import { subjectsFor } from '@simpul/contracts';
import { ConfigError, createLogger } from '@simpul/kit';
import { readEnvironment } from '../environment.ts';
import { databaseUrl, openDatabase } from '../db.ts';
import { ApiClientStore } from '../api-clients/api-client-store.ts';
import { AgencyBusAuthorization, natsAuthorizationLock } from '../api-clients/agency-bus-authorization.ts';

try {
  const env = readEnvironment();
  if (!env.NATS_AUTHORIZATION_FILE) throw new ConfigError(['NATS_AUTHORIZATION_FILE: set it to the file the nats-server configuration includes']);
  const database = openDatabase(databaseUrl(env));
  // The same lock as identity's instances take: this command never clobbers their writes.
  const lock = natsAuthorizationLock(databaseUrl(env));
  try {
    const authorization = new AgencyBusAuthorization({
      store: new ApiClientStore(database.prisma),
      subjects: subjectsFor(env.SIMPUL_NAMESPACE),
      logger: createLogger('nats-authorization', 'info'),
      file: env.NATS_AUTHORIZATION_FILE,
      pidFile: env.NATS_SERVER_PID_FILE,
      platformUsersFile: env.NATS_PLATFORM_USERS_FILE,
      lock,
    });
    const reloaded = await authorization.sync();
    console.log(
      `Wrote ${env.NATS_AUTHORIZATION_FILE}` +
        (reloaded
          ? ' and asked nats-server to reload it'
          : env.NATS_SERVER_PID_FILE
            ? ` (no nats-server running: ${env.NATS_SERVER_PID_FILE} does not exist yet; the server reads the file when it starts)`
            : ''),
    );
  } finally {
    await lock.close();
    await database.close();
  }
} catch (error) {
  const message = (error as Error).message;
  // The API clients table is created by identity's migrations.
  const hint = /does not exist/i.test(message) ? ' Run `npm run db:migrate -w @simpul/identity` first.' : '';
  console.error(error instanceof ConfigError ? message : `Cannot write the NATS authorization: ${message}${hint}`);
  process.exit(1);
}
