import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { subjectsFor, TokensRevoked, type EventData } from '@simpul/contracts';
import { createLogger } from '@simpul/kit';
import { eventually, testNatsUrl, uniqueNamespace } from '@simpul/testing';
import { connectBus, type NatsConnection } from '../src/connection.ts';
import { createEvent, ensureEventStream, publishEvent } from '../src/events.ts';
import { createTokenDenyList, followTokenRevocations, type TokenRevocationFollower } from '../src/token-revocations.ts';

const logger = createLogger('test', 'silent');
let nc: NatsConnection;
const followers: TokenRevocationFollower[] = [];

beforeAll(async () => {
  nc = await connectBus({ url: testNatsUrl(), name: 'revocations-test' });
});
afterAll(async () => {
  await Promise.all(followers.map((f) => f.stop()));
  await nc.close();
});

async function removeStream(subjects: ReturnType<typeof subjectsFor>) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(subjects.eventStream).catch(() => {});
}

function revocation(subject: string, overrides: Partial<EventData<typeof TokensRevoked>> = {}): EventData<typeof TokensRevoked> {
  return { subject, kind: 'user', issuedBefore: new Date().toISOString(), jti: null, reason: 'AGENCY_CHANGED', ...overrides };
}

async function revoke(subjects: ReturnType<typeof subjectsFor>, data: EventData<typeof TokensRevoked>) {
  await publishEvent(jetstream(nc), createEvent(subjects, TokensRevoked, data));
}

/** One verifier process as the test sees it: its own connection, deny list and follower. */
async function startVerifierProcess(subjects: ReturnType<typeof subjectsFor>, retryMs?: number) {
  const own = await connectBus({ url: testNatsUrl(), name: 'verifier' });
  const denyList = createTokenDenyList();
  const follower = followTokenRevocations({ nc: own, subjects, denyList, logger, ...(retryMs ? { retryMs } : {}) });
  followers.push({ ready: follower.ready, stop: async () => (await follower.stop(), await own.close()) });
  return { denyList, follower };
}

const issuedJustBefore = () => (Date.now() - 1_000) / 1000;

describe(followTokenRevocations.name, () => {
  it('a process that starts late knows the revocations published before it started', async () => {
    const subjects = subjectsFor(uniqueNamespace());
    await ensureEventStream(nc, subjects);
    try {
      const iat = issuedJustBefore();
      await revoke(subjects, revocation('u-early'));
      const { denyList, follower } = await startVerifierProcess(subjects);
      await follower.ready;
      expect(denyList.isRevoked({ sub: 'u-early', iat })).toBe(true);
      expect(denyList.isRevoked({ sub: 'u-other', iat })).toBe(false);
    } finally {
      await removeStream(subjects);
    }
  });

  it('every process sees every revocation (no shared consumer), within moments', async () => {
    const subjects = subjectsFor(uniqueNamespace());
    await ensureEventStream(nc, subjects);
    try {
      const processes = await Promise.all([1, 2, 3].map(() => startVerifierProcess(subjects)));
      await Promise.all(processes.map((p) => p.follower.ready));
      const iat = issuedJustBefore();
      await revoke(subjects, revocation('u-live'));
      await revoke(subjects, revocation('client-1', { kind: 'client', reason: 'API_CLIENT_REVOKED' }));
      for (const { denyList } of processes) {
        await eventually(
          async () => (denyList.isRevoked({ sub: 'u-live', iat }) && denyList.isRevoked({ sub: 'client-1', iat }) ? true : undefined),
          'the revocations',
        );
      }
    } finally {
      await removeStream(subjects);
    }
  });

  it('before the event stream exists it is ready at once, and follows the stream once it appears', async () => {
    const subjects = subjectsFor(uniqueNamespace());
    try {
      const { denyList, follower } = await startVerifierProcess(subjects, 100);
      await follower.ready;
      await ensureEventStream(nc, subjects);
      const iat = issuedJustBefore();
      await revoke(subjects, revocation('u-after-stream'));
      await eventually(async () => (denyList.isRevoked({ sub: 'u-after-stream', iat }) ? true : undefined), 'the revocation');
    } finally {
      await removeStream(subjects);
    }
  });
});
