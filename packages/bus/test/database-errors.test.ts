import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/errors.ts';

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['pg: a cut connection', new Error('Connection terminated unexpectedly'), true],
    ['pg: refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['pg_terminate_backend', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
    ['Prisma: closed', new Error('Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`'), true],
    ['Prisma: unreachable', Object.assign(new Error('x'), { code: 'P1001' }), true],
    ['adapter kind in the cause', new Error('wrapped', { cause: { kind: 'ConnectionClosed' } }), true],
    ['a unique violation', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }), false],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')"), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
