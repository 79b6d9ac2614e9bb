import { errors, nkeyAuthenticator } from '@nats-io/nats-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { parseNatsUrl, redactNatsUrl, type Logger } from '@simpul/kit';
import { readSeedFile } from './platform-credentials.ts';

export type { NatsConnection };

/** NATS could not be reached at start-up; the message says where and what to do. */
export class BusUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    super(
      `NATS is unreachable at ${redactNatsUrl(url)} (${(cause as Error)?.message ?? String(cause)}). ` +
        'Start nats-server with JetStream enabled (infra/scripts/infra.sh starts or installs it), or set NATS_URL.',
      { cause },
    );
    this.name = 'BusUnavailableError';
  }
}

export interface ConnectOptions {
  url: string;
  /** Shown in the server's connection list: the process's role, e.g. `identity`. */
  name: string;
  logger?: Logger;
  /** How long the first connection attempt may take. */
  timeoutMs?: number;
  /** NATS_NKEY_SEED_FILE: connect as this NKey user (the process's own, see platform-credentials.ts). */
  seedFile?: string | undefined;
  /** Where replies arrive; a process with its own NKey user may read only its own inbox. */
  inboxPrefix?: string | undefined;
}

/**
 * Connects to NATS. The first attempt fails fast with a clear error; once connected,
 * the client reconnects forever (a NATS restart must not take a service down) and the
 * status changes are logged.
 */
export async function connectBus(options: ConnectOptions): Promise<NatsConnection> {
  let nc: NatsConnection;
  const seed = options.seedFile ? await readSeedFile(options.seedFile) : undefined;
  try {
    nc = await connect({
      ...(seed ? { authenticator: nkeyAuthenticator(seed) } : {}),
      ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
      // Credentials in the URL (a server that admits agency systems) become user and password.
      ...parseNatsUrl(options.url),
      name: options.name,
      timeout: options.timeoutMs ?? 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      // Without this every request and JetStream publish captures a stack trace in
      // advance (an Error made per call, ~2-3 % of the gateway's and the relay's CPU in
      // their profiles) only to decorate a failure; failures keep their type and message.
      noAsyncTraces: true,
    });
  } catch (error) {
    throw new BusUnavailableError(options.url, error);
  }
  const logger = options.logger;
  states.set(nc, 'connected');
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        states.set(nc, 'reconnecting');
        logger?.warn({ server: status.server }, 'NATS disconnected');
      } else if (status.type === 'reconnect') {
        states.set(nc, 'connected');
        logger?.info({ server: status.server }, 'NATS reconnected');
      } else if (status.type === 'error') logger?.error({ err: status.error }, 'NATS error');
    }
  })();
  return nc;
}

const states = new WeakMap<NatsConnection, 'connected' | 'reconnecting'>();

/**
 * The connection's state for health reports: `connected`, `reconnecting` (the server
 * is away; the client keeps trying), `draining` or `closed`.
 */
export function busState(nc: NatsConnection): 'connected' | 'reconnecting' | 'draining' | 'closed' {
  if (nc.isClosed()) return 'closed';
  if (nc.isDraining()) return 'draining';
  return states.get(nc) ?? 'connected';
}

/** True when a request failed because no instance subscribes to the subject (as opposed to a slow one). */
export function isNoResponders(error: unknown): boolean {
  if (error instanceof errors.NoRespondersError) return true;
  const e = error as { isNoResponders?: () => boolean; name?: string; cause?: { name?: string } } | null;
  return !!e && (e.isNoResponders?.() === true || e.name === 'NoRespondersError' || e.cause?.name === 'NoRespondersError');
}
