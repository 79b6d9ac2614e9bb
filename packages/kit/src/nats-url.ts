/**
 * NATS_URL may carry credentials (`nats://simpul:secret@host:4222`), as a server that
 * admits agency systems requires (infra/nats/README.md). nats.js ignores them in the
 * URL, so they are taken out and passed as user and password. Several servers may be
 * given, comma-separated; the credentials of the first that has any are used.
 */
export function parseNatsUrl(url: string): { servers: string[]; user?: string; pass?: string } {
  let user: string | undefined;
  let pass: string | undefined;
  const servers = url
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((server) => {
      const match = /^([a-z]+:\/\/)?([^@/]*)@(.*)$/i.exec(server);
      if (!match) return server;
      const [, scheme = '', userinfo = '', rest = ''] = match;
      if (user === undefined && userinfo) {
        const colon = userinfo.indexOf(':');
        user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
        pass = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
      }
      return `${scheme}${rest}`;
    });
  return { servers, ...(user !== undefined ? { user } : {}), ...(pass !== undefined ? { pass } : {}) };
}

/** The URL without its credentials, for logs and messages. */
export function redactNatsUrl(url: string): string {
  return parseNatsUrl(url).servers.join(',');
}
