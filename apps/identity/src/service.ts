import { fileURLToPath } from 'node:url';
import { auditDenials, ensureExternalStream, openServiceRuntime, serveGraphQL, serveJwks, type RunningService, type ServiceStartOptions } from '@simpul/bus';

import { createLogger, createTokenVerifier, Lifecycle, openMasterKeyEncryption } from '@simpul/kit';
import type { IdentityEnvironment } from './environment.ts';
import { databaseUrl, openDatabase, type PrismaClient } from './db.ts';
import { createIdentityParts, type IdentityManagers, type IdentityStores } from './identity.ts';
import { createIdentitySchema } from './schema/schema.ts';
import { createContextFactory } from './schema/context.ts';
import { DEFAULT_DELAYS, type ThrottlePolicy } from './auth/login-throttle.ts';
import { hashPassword } from './auth/password.ts';
import type { SigningKeys } from './auth/signing-keys.ts';
import { ensureFirstAdmin } from './users/first-admin.ts';
import { demoPassword } from './demo-password.ts';
import { seedDemoData } from './seed/seed.ts';
import { consumeEmployeeEvents } from './employees/employee-accounts.ts';
import { AuditTrail } from './audit/audit-trail.ts';
import { startAuditConsumers } from './audit/audit-consumer.ts';
import { AgencyBusAuthorization, natsAuthorizationLock } from './api-clients/agency-bus-authorization.ts';
import { tokenRootKey } from './auth/token-root-key.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

export interface IdentityServiceOptions extends ServiceStartOptions {
  /** Delays after failed logins (defaults: 250 ms doubling up to 4 s); tests shorten them. */
  loginDelays?: Partial<Pick<ThrottlePolicy, 'baseDelayMs' | 'maxDelayMs'>>;
  now?: () => number;
}

export interface IdentityService extends RunningService<PrismaClient, IdentityStores, IdentityManagers> {
  keys: SigningKeys;
}

/**
 * Starts identity: its database (created and migrated when needed), its keys, the first
 * administrator, GraphQL and JWKS over NATS, and the outbox relay. Nothing global is
 * touched, so tests start several in one process. On a failure half-way, what was
 * started is stopped again before the error is thrown.
 */
export async function startIdentityService(env: IdentityEnvironment, options: IdentityServiceOptions = {}): Promise<IdentityService> {
  const logger = options.logger ?? createLogger('identity', env.LOG_LEVEL);
  const lifecycle = new Lifecycle(logger);
  const url = databaseUrl(env);
  try {
    const { prisma, nc, subjects, relay, health, denyList } = await openServiceRuntime({
      service: 'identity',
      env,
      databaseUrl: url,
      migrationsDir: MIGRATIONS_DIR,
      openDatabase,
      logger,
      lifecycle,
      outboxIntervalMs: options.outboxIntervalMs,
    });
    const { stores, managers, keys } = createIdentityParts(prisma, {
      subjects,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      sessionLifetimeMs: env.SESSION_LIFETIME_HOURS * 3_600_000,
      rootKey: tokenRootKey(env),
      keyEncryption: await openMasterKeyEncryption(env, logger),
      throttle: {
        maxFailures: env.LOGIN_MAX_FAILURES,
        lockMs: env.LOGIN_LOCK_MINUTES * 60_000,
        ...DEFAULT_DELAYS,
        ...options.loginDelays,
      },
      eventsWritten: () => relay.nudge(),
      apiClientsChanged: () =>
        busAuthorization.sync().then(
          () => undefined,
          () => undefined,
        ),
      ...(options.now ? { now: options.now } : {}),
    });
    // Agency systems on the bus: nats-server's authorization follows the API clients.
    const authorizationLock = natsAuthorizationLock(url);
    lifecycle.onShutdown('NATS authorization lock', () => authorizationLock.close());
    const busAuthorization = new AgencyBusAuthorization({
      store: stores.apiClients,
      subjects,
      logger: logger.child({ component: 'nats-authorization' }),
      file: env.NATS_AUTHORIZATION_FILE,
      pidFile: env.NATS_SERVER_PID_FILE,
      platformUsersFile: env.NATS_PLATFORM_USERS_FILE,
      lock: authorizationLock,
    });
    if (env.NATS_AUTHORIZATION_FILE) {
      await ensureExternalStream(nc, subjects);
      await busAuthorization.sync();
    }

    await keys.ensureActiveKey();
    await ensureFirstAdmin({ env, users: stores.users, agencies: stores.agencies, subjects, logger });
    let demoPasswordHash: (() => Promise<string>) | undefined;
    if (env.SIMPUL_DEMO) {
      const password = env.SIMPUL_ADMIN_PASSWORD ?? (await demoPassword(env.SIMPUL_STATE_DIR)).password;
      const summary = await seedDemoData(prisma, { subjects, passwordHash: () => hashPassword(password) });
      logger.info(summary, 'demo data loaded');
      let hash: Promise<string> | undefined;
      demoPasswordHash = () => (hash ??= hashPassword(password));
    }

    relay.start();
    lifecycle.onShutdown('outbox relay', () => relay.stop());

    // Personnel's appointments, transfers and retirements open, move and disable accounts.
    const employeeConsumers = await consumeEmployeeEvents(
      { nc, subjects, prisma, logger, eventsWritten: () => relay.nudge(), ...(options.now ? { now: options.now } : {}) },
      demoPasswordHash ? { initialPasswordHash: demoPasswordHash } : {},
    );
    lifecycle.onShutdown('employee event consumers', async () => {
      await Promise.all(employeeConsumers.map((c) => c.stop()));
    });

    // The platform's audit log: every service's audit events, identity's own included.
    const auditConsumers = await startAuditConsumers({ nc, subjects, prisma, store: stores.audit, logger: logger.child({ component: 'audit' }) });
    lifecycle.onShutdown('audit consumers', () => auditConsumers.stop());
    const auditTrail = new AuditTrail(prisma, subjects, logger, () => relay.nudge());

    // Identity checks tokens against its own key table: no NATS round trip to itself.
    const verifier = createTokenVerifier({ fetchJwks: () => keys.currentJwks(), minRefreshIntervalMs: 1_000, denyList });
    keys.onRotate(() => verifier.invalidate());
    const responder = serveGraphQL({
      nc,
      subjects,
      service: 'identity',
      schema: createIdentitySchema(),
      verifier,
      createContext: createContextFactory(managers, stores, auditTrail),
      onErrors: auditDenials(prisma, subjects, 'identity', () => relay.nudge()),
      logger,
      health,
    });
    lifecycle.onShutdown('graphql', () => responder.stop());
    const jwks = serveJwks(nc, subjects, () => keys.currentJwks());
    lifecycle.onShutdown('jwks', () => jwks.drain());

    logger.info({ namespace: subjects.namespace, demo: env.SIMPUL_DEMO }, 'identity started');
    return {
      stop: () => lifecycle.shutdown(),
      prisma,
      keys,
      relay,
      responder,
      nc,
      subjects,
      stores,
      managers,
      databaseUrl: url,
      health,
    };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
