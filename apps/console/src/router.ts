import { useSyncExternalStore } from 'react';

/**
 * Routes live in the URL's hash (/console/#/traces/<id>), so every page has an address
 * that can be pasted into a ticket, and the gateway serves one index.html for all.
 */
export type Route =
  | { page: 'overview' }
  | { page: 'traces'; query: URLSearchParams }
  | { page: 'trace'; traceId: string; spanId: string | null }
  | { page: 'map' }
  | { page: 'events' }
  | { page: 'agencies' }
  | { page: 'exchange' }
  | { page: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
    case 'overview':
      return { page: 'overview' };
    case 'traces':
      return parts[1] ? { page: 'trace', traceId: parts[1], spanId: query.get('span') } : { page: 'traces', query };
    case 'map':
      return { page: 'map' };
    case 'events':
      return { page: 'events' };
    case 'agencies':
      return { page: 'agencies' };
    case 'exchange':
      return { page: 'exchange' };
    default:
      return { page: 'not-found', path };
  }
}

export function traceHref(traceId: string, spanId?: string): string {
  return `#/traces/${encodeURIComponent(traceId)}${spanId ? `?span=${encodeURIComponent(spanId)}` : ''}`;
}

export function tracesHref(filter: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  const text = query.toString();
  return `#/traces${text ? `?${text}` : ''}`;
}

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
