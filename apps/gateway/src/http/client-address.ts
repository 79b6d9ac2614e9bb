import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address of the client a request comes from: the socket's peer, or, when that peer
 * is one of our own proxies (TRUSTED_PROXIES: the balancer, the ingress), the address
 * that proxy says it served, from `X-Forwarded-For`. The header is read from the right
 * and only through trusted proxies: anything to the left of the first address that is
 * not ours was written by the client and could be anything. Per-address limits and
 * audit entries ("from where") depend on it.
 */
export type ClientAddressOf = (req: IncomingMessage) => string;

export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = proxyList(trustedProxies);
  return (req) => {
    const peer = normalize(req.socket.remoteAddress ?? 'unknown');
    if (!trusted || !isTrusted(trusted, peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => normalize(h.trim()))
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(trusted, hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}

/** Checks one TRUSTED_PROXIES entry: an IPv4 or IPv6 address, or a CIDR range of them. */
export function isProxyEntry(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function proxyList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
