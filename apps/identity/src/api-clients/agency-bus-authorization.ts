import { readPlatformUsers, renderNatsAuthorization, writeNatsAuthorization } from '@simpul/bus';
import { AGENCY_CODE_PATTERN, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { ApiClientStore } from './api-client-store.ts';

/**
 * Keeps nats-server's authorization file in step with the API clients: after every
 * registration or revocation (and at start-up) it is rewritten from the database and
 * the server is told to reload it. Without NATS_AUTHORIZATION_FILE it does nothing.
 */
export class AgencyBusAuthorization {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ApiClientStore,
    private readonly subjects: Subjects,
    private readonly logger: Logger,
    private readonly file: string | undefined,
    private readonly pidFile: string | undefined,
    /** NATS_PLATFORM_USERS_FILE: the platform processes' public keys, kept in the file with their permissions. */
    private readonly platformUsersFile?: string | undefined,
  ) {}

  /** Rewrites the file (one writer at a time, so the last change always wins); true when the server was asked to reload it. */
  sync(): Promise<boolean> {
    const file = this.file;
    if (!file) return Promise.resolve(false);
    const run = this.queue.then(async () => {
      const all = await this.store.listBusUsers();
      // A client registered before agency codes were limited to subject tokens gets no
      // bus access: its code would nest subjects (and permissions) under another agency's.
      const clients = all.filter((c) => AGENCY_CODE_PATTERN.test(c.agencyCode));
      for (const c of all) {
        if (!clients.includes(c)) this.logger.warn({ clientId: c.clientId, agencyCode: c.agencyCode }, 'API client left out of the NATS authorization: its agency code is not a subject token');
      }
      const platformUsers = this.platformUsersFile ? await readPlatformUsers(this.platformUsersFile) : undefined;
      const text = renderNatsAuthorization({
        subjects: this.subjects,
        platformUsers,
        users: clients.map((c) => ({ agencyCode: c.agencyCode, publicKey: c.natsPublicKey as string, clientId: c.clientId })),
      });
      const reloaded = await writeNatsAuthorization(file, text, this.pidFile);
      this.logger.info({ file, users: clients.length, reloaded }, 'NATS authorization written');
      if (this.pidFile && !reloaded) this.logger.warn({ pidFile: this.pidFile }, 'no nats-server pid file: the server was not asked to reload the authorization');
      return reloaded;
    });
    this.queue = run.then(
      () => undefined,
      (error: unknown) => this.logger.error({ err: error, file }, 'cannot write the NATS authorization'),
    );
    return run;
  }
}
