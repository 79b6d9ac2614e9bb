import { randomBytes } from 'node:crypto';
import { subjectsFor } from '@simpul/contracts';
import { dropDatabase, ensureDatabase } from '@simpul/kit';

// Test helpers may read the environment: they stand in for a service's environment.ts.
const env = process.env;

/** The PostgreSQL server tests use (never a mock): DATABASE_URL's server, or the local one. */
export function testServerUrl(): string {
  const url = new URL(env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432');
  url.pathname = '/';
  return url.toString().replace(/\/$/, '');
}

export function testNatsUrl(): string {
  return env.NATS_URL || 'nats://127.0.0.1:4222';
}

/** A short random suffix, safe in database names and NATS subjects. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** A NATS namespace of its own, so parallel test files never answer each other. */
export function uniqueNamespace(): string {
  return `t${uniqueSuffix()}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the real server, dropped by `drop()`. */
export async function createTestDatabase(service: string): Promise<TestDatabase> {
  const url = `${testServerUrl()}/simpul_${service}_test_${uniqueSuffix()}`;
  await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

/**
 * Deletes the JetStream streams a test's processes created in its namespace (services
 * create their event stream at start), so runs leave nothing on the shared server.
 */
export async function removeNamespaceStreams(namespace: string): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const nc = await connect({ servers: testNatsUrl(), name: 'test-cleanup' });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = subjectsFor(namespace).eventStream.replace(/_EVENTS$/, '');
    // Object store buckets (uploads, attachments) are streams named OBJ_<namespace>_<bucket>.
    const objectPrefix = `OBJ_${namespace}_`;
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      if (name.startsWith(prefix) || name.startsWith(objectPrefix)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}
