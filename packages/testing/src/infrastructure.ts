import { randomBytes } from 'node:crypto';
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
