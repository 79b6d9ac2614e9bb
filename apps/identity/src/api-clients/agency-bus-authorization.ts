import { readPlatformUsers, renderNatsAuthorization, writeNatsAuthorization } from '@simpul/bus';
import { AGENCY_CODE_PATTERN, type Subjects } from '@simpul/contracts';
import { AdvisoryLock, type Logger } from '@simpul/kit';
import type { ApiClientStore } from './api-client-store.ts';

/** The advisory lock every writer of the authorization file takes, in identity's database. */
export function natsAuthorizationLock(databaseUrl: string): AdvisoryLock {
  return new AdvisoryLock(databaseUrl, 'simpul.nats-authorization');
}

export interface AgencyBusAuthorizationOptions {
  store: ApiClientStore;
  subjects: Subjects;
  logger: Logger;
  /** NATS_AUTHORIZATION_FILE; unset, nothing is written. */
  file: string | undefined;
  /** NATS_SERVER_PID_FILE: the server to send SIGHUP after a rewrite. */
  pidFile?: string | undefined;
  /** NATS_PLATFORM_USERS_FILE: the platform processes' public keys, kept in the file with their permissions. */
  platformUsersFile?: string | undefined;
  /** natsAuthorizationLock(identity's database): held from reading the clients to the reload. */
  lock: AdvisoryLock;
}

/**
 * Keeps nats-server's authorization file in step with the API clients: after every
 * registration or revocation (and at start-up) it is rewritten from the database and
 * the server is told to reload it. Without NATS_AUTHORIZATION_FILE it does nothing.
 *
 * Several identity instances (and the nats-authorization command) may share the file.
 * Each write holds a PostgreSQL advisory lock from reading the clients to the reload:
 * without it, an instance that read the clients before a registration could rename its
 * stale file over a newer one and lock the new client out. With it, whoever writes
 * last read last, so the file always ends with every committed change. An advisory
 * lock (kit's AdvisoryLock, as the outbox relay uses) rather than a row lock: the work
 * touches the file system and signals nats-server, and no row should stay locked meanwhile.
 */
export class AgencyBusAuthorization {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: AgencyBusAuthorizationOptions) {}

  /** Rewrites the file (one writer at a time, so the last change always wins); true when the server was asked to reload it. */
  sync(): Promise<boolean> {
    const file = this.options.file;
    if (!file) return Promise.resolve(false);
    const run = this.queue.then(() => this.options.lock.withLock(() => this.write(file)));
    this.queue = run.then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: error, file }, 'cannot write the NATS authorization'),
    );
    return run;
  }

  private async write(file: string): Promise<boolean> {
    const all = await this.options.store.listBusUsers();
    // A client registered before agency codes were limited to subject tokens gets no
    // bus access: its code would nest subjects (and permissions) under another agency's.
    const clients = all.filter((c) => AGENCY_CODE_PATTERN.test(c.agencyCode));
    for (const c of all) {
      if (!clients.includes(c))
        this.options.logger.warn(
          { clientId: c.clientId, agencyCode: c.agencyCode },
          'API client left out of the NATS authorization: its agency code is not a subject token',
        );
    }
    const platformUsers = this.options.platformUsersFile ? await readPlatformUsers(this.options.platformUsersFile) : undefined;
    const text = renderNatsAuthorization({
      subjects: this.options.subjects,
      platformUsers,
      users: clients.map((c) => ({ agencyCode: c.agencyCode, publicKey: c.natsPublicKey as string, clientId: c.clientId })),
    });
    const reloaded = await writeNatsAuthorization(file, text, this.options.pidFile);
    this.options.logger.info({ file, users: clients.length, reloaded }, 'NATS authorization written');
    if (this.options.pidFile && !reloaded)
      this.options.logger.warn({ pidFile: this.options.pidFile }, 'no nats-server pid file: the server was not asked to reload the authorization');
    return reloaded;
  }
}
