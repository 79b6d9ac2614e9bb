import { describe, expect, it } from 'vitest';
import { parseNatsUrl, redactNatsUrl } from '../src/nats-url.ts';

describe(parseNatsUrl.name, () => {
  it.each([
    ['nats://127.0.0.1:4222', { servers: ['nats://127.0.0.1:4222'] }],
    ['nats://simpul:s3cret@10.0.0.5:4222', { servers: ['nats://10.0.0.5:4222'], user: 'simpul', pass: 's3cret' }],
    ['simpul:p%40ss@host:4222', { servers: ['host:4222'], user: 'simpul', pass: 'p@ss' }],
    ['nats://a:1@h1:4222, nats://h2:4222', { servers: ['nats://h1:4222', 'nats://h2:4222'], user: 'a', pass: '1' }],
    ['nats://token@h:4222', { servers: ['nats://h:4222'], user: 'token' }],
  ])('%s', (url, expected) => {
    expect(parseNatsUrl(url)).toEqual(expected);
  });

  it('keeps credentials out of what is logged', () => {
    expect(redactNatsUrl('nats://simpul:s3cret@h:4222')).toBe('nats://h:4222');
  });
});
