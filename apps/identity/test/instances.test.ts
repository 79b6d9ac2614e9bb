import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { createAgencyNkey } from '@simpul/bus';
import { createLogger, type AdvisoryLock, type LockAttempt, type LockLease } from '@simpul/kit';
import { removeNamespaceStreams } from '@simpul/testing';
import type { ApiClient } from '../src/db.ts';
import { ApiClientStore } from '../src/api-clients/api-client-store.ts';
import { AgencyBusAuthorization, natsAuthorizationLock } from '../src/api-clients/agency-bus-authorization.ts';
import { startIdentityService, type IdentityService } from '../src/service.ts';
import { testSettings, type TestSettings } from './support/identity.ts';

/**
 * Work identity must do once per platform, with two instances of identity on one
 * database: creating the token signing key, and writing nats-server's authorization file.
 */
let settings: TestSettings;
let instances: IdentityService[] = [];
let dir: string;
const locks: AdvisoryLock[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simpul-identity-instances-'));
  settings = await testSettings({ SIMPUL_ADMIN_PASSWORD: `pw-${randomBytes(12).toString('base64url')}` });
  // Both start at once, on an empty database: migrations, first administrator, signing key.
  instances = await Promise.all([startIdentityService(settings.env), startIdentityService(settings.env)]);
}, 180_000);
afterAll(async () => {
  for (const lock of locks) await lock.close();
  await Promise.allSettled(instances.map((i) => i.stop()));
  await removeNamespaceStreams(settings.env.SIMPUL_NAMESPACE);
  await settings?.cleanUp();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const subject = {
  sub: 'c0ffee00-0000-4000-8000-000000000001',
  kind: 'user' as const,
  username: 'admin',
  agency: 'KEMENPANRB',
  roles: ['NATIONAL_ADMIN' as const],
};

describe('two identity instances', () => {
  it('starting at once create exactly one active signing key, and both sign with it', async () => {
    const [a, b] = instances as [IdentityService, IdentityService];
    expect(await a.prisma.signingKey.count({ where: { retiredAt: null } })).toBe(1);
    const kidA = decodeProtectedHeader((await a.keys.sign(subject)).token).kid;
    const kidB = decodeProtectedHeader((await b.keys.sign(subject)).token).kid;
    expect(kidA).toBeDefined();
    expect(kidB).toBe(kidA);
    expect((await b.keys.currentJwks()).keys.map((k) => k.kid)).toEqual([kidA]);
  });

  it('never let a writer of the authorization file overwrite a newer file with what it read before', async () => {
    const [a, b] = instances as [IdentityService, IdentityService];
    const file = join(dir, 'authorization.conf');
    const bAskedForLock = deferred();
    const aHasRead = deferred();
    const releaseA = deferred();
    // Instance A reads the API clients, then pauses before writing (a slow instance).
    class PausingStore extends ApiClientStore {
      override async listBusUsers(): Promise<ApiClient[]> {
        const clients = await super.listBusUsers();
        aHasRead.resolve();
        await releaseA.promise;
        return clients;
      }
    }
    // Instance B's lock says when B asked for it, so the test knows B has got as far as it can.
    const lockB = natsAuthorizationLock(b.databaseUrl);
    const originalTry = lockB.tryWithLock.bind(lockB);
    lockB.tryWithLock = <T>(fn: (lease: LockLease) => Promise<T>): Promise<LockAttempt<T>> => {
      bAskedForLock.resolve();
      return originalTry(fn);
    };
    const lockA = natsAuthorizationLock(a.databaseUrl);
    locks.push(lockA, lockB);
    const logger = createLogger('test', 'silent');
    const writerA = new AgencyBusAuthorization({ store: new PausingStore(a.prisma), subjects: a.subjects, logger, file, lock: lockA });
    const writerB = new AgencyBusAuthorization({ store: new ApiClientStore(b.prisma), subjects: b.subjects, logger, file, lock: lockB });

    const writingA = writerA.sync();
    await aHasRead.promise;
    // A new agency system registers on instance B, which rewrites the file.
    const nkey = createAgencyNkey();
    await b.prisma.apiClient.create({
      data: { clientId: `sys-${randomBytes(4).toString('hex')}`, name: 'SIMPEG', agencyCode: 'KEMENPANRB', secretHash: 'x', natsPublicKey: nkey.publicKey },
    });
    const writingB = writerB.sync();
    // B either waits for A's lock or (were there no lock) has written its file already.
    await Promise.race([bAskedForLock.promise, writingB]);
    releaseA.resolve();
    await Promise.all([writingA, writingB]);

    expect(await readFile(file, 'utf8')).toContain(nkey.publicKey);
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
