import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AdvisoryLock } from '../src/advisory-lock.ts';
import { dropDatabase, ensureDatabase, serviceDatabaseUrl } from '../src/database.ts';

const server = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432';
const url = serviceDatabaseUrl(server, `kit_lock_test_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
const locks: AdvisoryLock[] = [];
const lock = (name: string) => {
  const l = new AdvisoryLock(url, name, { pollMs: 50 });
  locks.push(l);
  return l;
};

beforeAll(async () => {
  await ensureDatabase(url);
});
afterAll(async () => {
  for (const l of locks) await l.close();
  await dropDatabase(url);
});

/** Resolves when `release()` is called: work that holds a lock until the test lets go. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { release, released };
}

describe(AdvisoryLock.name, () => {
  it('lets one of two instances run the work; the other is told at once, and gets it once the first is done', async () => {
    const first = lock('work');
    const second = lock('work');
    const other = lock('other work');
    const g = gate();
    const entered = gate();
    const holding = first.tryWithLock(async () => {
      entered.release();
      await g.released;
      return 'first ran';
    });
    // Only once the first holds it (asking earlier, the second could take it first).
    await entered.released;
    expect(await second.tryWithLock(async () => 'second ran')).toEqual({ acquired: false });
    // A lock of another name is independent.
    expect(await other.tryWithLock(async () => 'other ran')).toEqual({ acquired: true, value: 'other ran' });
    g.release();
    expect(await holding).toEqual({ acquired: true, value: 'first ran' });
    expect(await second.tryWithLock(async () => 'second ran')).toEqual({ acquired: true, value: 'second ran' });
  });

  it('excludes two callers in the same process (PostgreSQL would let one session take it twice)', async () => {
    const shared = lock('same process');
    const g = gate();
    const holding = shared.tryWithLock(() => g.released);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await shared.tryWithLock(async () => 'again')).toEqual({ acquired: false });
    g.release();
    await holding;
  });

  it('withLock waits for the holder, then runs', async () => {
    const first = lock('queue');
    const second = lock('queue');
    const order: string[] = [];
    const g = gate();
    const a = first.withLock(async () => {
      order.push('first starts');
      await g.released;
      order.push('first ends');
    });
    await expect.poll(() => order.length, { timeout: 30_000 }).toBe(1);
    const b = second.withLock(async () => void order.push('second runs'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    g.release();
    await Promise.all([a, b]);
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('loses the lock with its connection: held() turns false and another instance takes it', async () => {
    const first = lock('fragile');
    const second = lock('fragile');
    const g = gate();
    let lease: { held(): boolean } | undefined;
    const holding = first.tryWithLock(async (l) => {
      lease = l;
      await g.released;
    });
    await expect.poll(() => lease?.held(), { timeout: 30_000 }).toBe(true);
    // What a server restart or a cut connection does to the session that holds the lock.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = hashtext('fragile')::oid`,
    );
    await admin.end();
    await expect.poll(() => lease!.held(), { timeout: 30_000 }).toBe(false);
    expect(await second.tryWithLock(async () => 'taken over')).toEqual({ acquired: true, value: 'taken over' });
    g.release();
    await holding;
    // The first instance reconnects for its next attempt.
    expect(await first.tryWithLock(async () => 'back')).toEqual({ acquired: true, value: 'back' });
  });
});
