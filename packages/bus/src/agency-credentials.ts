import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import { nkeys, type NatsConnection } from '@nats-io/nats-core';
import type { Subjects } from '@simpul/contracts';
import { subscriberPermissions } from './agency-deliveries.ts';
import { platformPermissions, type PlatformNatsUser } from './platform-credentials.ts';

const NANOS_PER_MS = 1_000_000;

/**
 * NATS credentials of agency systems (their own applications, outside Simpul).
 *
 * nats-server 2.9 has no auth callout, so the server's configuration lists who may
 * connect: the platform's own user (password from the server's environment,
 * SIMPUL_NATS_PASSWORD) and one NKey user per registered API client. Identity issues
 * the key pair when an API client is registered (the seed is shown once; only the
 * public key is kept), rewrites the configuration file and asks nats-server to reload
 * it (SIGHUP), so a revoked client is cut off at once. See infra/nats/README.md.
 */

/** What the server needs to know about one agency system. */
export interface AgencyNatsUser {
  agencyCode: string;
  /** The NKey public key (starts with U). */
  publicKey: string;
  /** For the reader of the file: which API client this is. */
  clientId: string;
}

export interface AgencyPermissions {
  publish: string[];
  subscribe: string[];
}

/** A new NKey user key pair; the seed goes to the agency once and is never stored. */
export function createAgencyNkey(): { seed: string; publicKey: string } {
  const pair = nkeys.createUser();
  return { seed: new TextDecoder().decode(pair.getSeed()), publicKey: pair.getPublicKey() };
}

/**
 * What an agency system may do on the bus: publish its own events (and nothing else:
 * no other agency's, no platform event, no service's GraphQL subject), and read its
 * own events, the platform's public agency events and its replies.
 */
export function agencyPermissions(subjects: Subjects, agencyCode: string): AgencyPermissions {
  return {
    publish: [subjects.external(agencyCode)],
    subscribe: [subjects.external(agencyCode), `${subjects.namespace}.evt.identity.agency.>`, `${subjects.externalInboxPrefix(agencyCode)}.>`],
  };
}

/** NATS configuration text (JSON is valid NATS configuration) for the server's authorization. */
export function renderNatsAuthorization(options: {
  subjects: Subjects;
  users: readonly AgencyNatsUser[];
  /**
   * The platform's processes, each an NKey user with its own permissions
   * (platform-credentials.ts). Without them, one platform user with a password from
   * the server's environment stands for every process (and may do anything).
   */
  platformUsers?: readonly PlatformNatsUser[] | undefined;
  platformUser?: string;
  platformPasswordVariable?: string;
}): string {
  const platformUser = options.platformUser ?? 'simpul';
  const variable = options.platformPasswordVariable ?? 'SIMPUL_NATS_PASSWORD';
  const platform = options.platformUsers?.length
    ? options.platformUsers.map(
        (u) =>
          `    # platform: ${u.role}\n    { nkey: ${JSON.stringify(u.publicKey)}, permissions: ${JSON.stringify(platformPermissions(options.subjects, u.role))} }`,
      )
    : [`    { user: ${JSON.stringify(platformUser)}, password: $${variable} }`];
  const lines = [
    '# Written by Simpul: the platform processes and one NKey user per registered API client.',
    '# Do not edit; register or revoke API clients instead. Regenerate: npm run nats:authorization -w @simpul/identity',
    'authorization {',
    '  users = [',
    ...platform,
    ...options.users.map((u) => {
      const p = agencyPermissions(options.subjects, u.agencyCode);
      const d = subscriberPermissions(options.subjects, u.clientId);
      const permissions = { publish: { allow: [...p.publish, ...d.publish] }, subscribe: { allow: [...p.subscribe, ...d.subscribe] } };
      return `    # ${u.agencyCode} ${u.clientId}\n    { nkey: ${JSON.stringify(u.publicKey)}, permissions: ${JSON.stringify(permissions)} }`;
    }),
    '  ]',
    '}',
    '',
  ];
  return lines.join('\n');
}

/**
 * Replaces the authorization file (atomically: a reader never sees half a file) and,
 * when the server's pid file is known and exists, has the server reload it. Returns
 * whether a reload was requested.
 */
export async function writeNatsAuthorization(file: string, text: string, pidFile?: string): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current !== text) {
    const tmp = `${file}.${randomUUID()}.tmp`;
    await writeFile(tmp, text, { mode: 0o640 });
    await rename(tmp, file);
  }
  if (!pidFile) return false;
  // No pid file yet: the server is not running (or not started with -P); it reads the file when it starts.
  const content = await readFile(pidFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (content === null) return false;
  const pid = Number(content.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${pidFile} holds no process id`);
  process.kill(pid, 'SIGHUP');
  return true;
}

/** The stream that keeps what agency systems publish on `<ns>.ext.>`. */
export async function ensureExternalStream(nc: NatsConnection, subjects: Subjects): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: subjects.externalStream,
    subjects: [subjects.allExternal],
    duplicate_window: 2 * 60 * 1000 * NANOS_PER_MS,
    max_age: 30 * 24 * 60 * 60 * 1000 * NANOS_PER_MS,
  };
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
  }
}
