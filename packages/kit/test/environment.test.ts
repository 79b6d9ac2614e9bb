import { describe, expect, it } from 'vitest';
import { commonEnvironment, ConfigError, databaseEnvironment, loadEnvironment, z } from '../src/environment.ts';

const schema = z.object({ ...commonEnvironment, ...databaseEnvironment, PORT: z.coerce.number().int().max(65535).default(4000) });

describe(loadEnvironment.name, () => {
  it('applies defaults for a single machine', () => {
    const env = loadEnvironment(schema, {});
    expect(env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432',
      PORT: 4000,
      SIMPUL_NAMESPACE: 'simpul',
      SIMPUL_DEMO: false,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadEnvironment(schema, { PORT: '' }).PORT).toBe(4000);
  });

  it('reports every bad setting at once, by name', () => {
    let error: unknown;
    try {
      loadEnvironment(schema, { PORT: '99999', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SIMPUL_DEMO: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'SIMPUL_DEMO']) expect(problems).toContain(name);
    expect((error as ConfigError).problems).toHaveLength(4);
  });
});
