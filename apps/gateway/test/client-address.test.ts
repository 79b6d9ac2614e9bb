import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, isProxyEntry } from '../src/http/client-address.ts';
import { gatewayEnvironmentSchema } from '../src/environment.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

/** Which address a request counts against, through the balancer and ingress in front of the gateway. */
describe('client address', () => {
  it('is the socket peer when no proxy is trusted, whatever the request says', () => {
    const of = clientAddressResolver([]);
    expect(of(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(of(request('::ffff:203.0.113.5'))).toBe('203.0.113.5');
  });

  it('is the nearest address in X-Forwarded-For that is not a trusted proxy', () => {
    const of = clientAddressResolver(['10.0.0.0/8', '192.0.2.10', 'fd00::/8']);
    expect(of(request('10.1.2.3', '198.51.100.1'))).toBe('198.51.100.1');
    // Balancer (192.0.2.10) then ingress (10.1.2.3): both ours, the client is before them.
    expect(of(request('10.1.2.3', '198.51.100.1, 192.0.2.10'))).toBe('198.51.100.1');
    // Whatever the client wrote itself stays to the left, unread.
    expect(of(request('10.1.2.3', '1.1.1.1, 198.51.100.1'))).toBe('198.51.100.1');
    expect(of(request('fd00::1', '2001:db8::5'))).toBe('2001:db8::5');
    // A peer that is not ours: its header is not believed.
    expect(of(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    // A proxy that names no client, or garbage, leaves the proxy's own address.
    expect(of(request('10.1.2.3'))).toBe('10.1.2.3');
    expect(of(request('10.1.2.3', 'not-an-address'))).toBe('10.1.2.3');
  });

  it('TRUSTED_PROXIES takes addresses and CIDR ranges and refuses anything else', () => {
    for (const ok of ['10.0.0.0/8', '192.0.2.10', '::1', 'fd00::/8']) expect(isProxyEntry(ok), ok).toBe(true);
    for (const bad of ['10.0.0.0/33', 'ingress', '10.0.0.0/8/1', '*']) expect(isProxyEntry(bad), bad).toBe(false);
    expect(gatewayEnvironmentSchema.safeParse({ TRUSTED_PROXIES: '10.0.0.0/8, lb.local' }).success).toBe(false);
    expect(gatewayEnvironmentSchema.parse({ TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1']);
  });
});
