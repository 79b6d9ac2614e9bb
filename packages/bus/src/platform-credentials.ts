import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nkeys } from '@nats-io/nats-core';
import { agencyEventSubjects, SERVICES, telemetrySubjects, type ServiceName, type Subjects } from '@simpul/contracts';

/**
 * NATS credentials of the platform's own processes. Each process (the gateway, each
 * service) connects as its own NKey user (seed in NATS_NKEY_SEED_FILE) with only the
 * permissions its work needs, so a process, or anyone holding one of its seeds, cannot
 * answer another service's requests or publish another service's events:
 *
 *  - a service subscribes only to its own subjects `<ns>.<service>.>` (GraphQL, SDL,
 *    health, its instances; for identity also the JWKS), so only identity can answer
 *    `<ns>.identity.jwks`;
 *  - a service publishes only its own events `<ns>.evt.<service>.>` (and dead letters);
 *  - everyone may send requests (GraphQL between services, JWKS) and answer the requests
 *    it received (`allow_responses`: an acknowledgement, then the answer);
 *  - replies arrive in the process's own inbox `_INBOX.<ns>.<role>.>`, which nobody else
 *    may read;
 *  - JetStream's API (`$JS.API.>`, acks) for the streams and consumers, and the object
 *    store (`$O.>`) for the gateway's staged uploads and documents' attachments.
 *
 * The `operator` user (the dead-letters command, an operator's nats CLI) may do anything.
 */
export const PLATFORM_ROLES = ['gateway', ...SERVICES, 'operator'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export interface NatsPermissions {
  publish: { allow: string[] };
  subscribe: { allow: string[] };
  allow_responses?: { max: number };
}

/** Where a platform process receives its replies (nats.js `inboxPrefix`). */
export function platformInboxPrefix(subjects: Subjects, role: PlatformRole): string {
  return `_INBOX.${subjects.namespace}.${role}`;
}

export function platformPermissions(subjects: Subjects, role: PlatformRole): NatsPermissions {
  const ns = subjects.namespace;
  if (role === 'operator') return { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } };
  const requests = [`${ns}.*.graphql`, `${ns}.*.instance.*`, subjects.jwks];
  const jetstream = ['$JS.API.>', '$JS.ACK.>'];
  const inbox = `${platformInboxPrefix(subjects, role)}.>`;
  const telemetry = telemetrySubjects(subjects);
  if (role === 'gateway') {
    return {
      publish: {
        allow: [
          ...requests,
          `${ns}.*.sdl`,
          `${ns}.*.health`,
          ...jetstream,
          '$O.>',
          telemetry.exchange, // an exchange record per operation, to the telemetry service
          agencyEventSubjects(subjects).ingest, // POST /events/<type>, validated by the registry
        ],
      },
      // The telemetry service's live feed (relayed to the console), and its discovery of gateway instances.
      subscribe: { allow: [inbox, telemetry.live, telemetry.gatewayHealth] },
      allow_responses: { max: 1 },
    };
  }
  const service: ServiceName = role;
  return {
    publish: {
      allow: [
        ...requests,
        `${ns}.evt.${service}.>`,
        `${ns}.dlq.>`,
        ...jetstream,
        ...(service === 'documents' ? ['$O.>'] : []),
        ...serviceExtras(subjects, service).publish,
      ],
    },
    subscribe: { allow: [`${ns}.${service}.>`, inbox, ...serviceExtras(subjects, service).subscribe] },
    // A GraphQL request is answered twice: an acknowledgement (lost-answer detection), then the result.
    allow_responses: { max: 2 },
  };
}

/** What a service's own work needs beyond the common rights above. */
function serviceExtras(subjects: Subjects, service: ServiceName): { publish: string[]; subscribe: string[] } {
  const ns = subjects.namespace;
  switch (service) {
    case 'telemetry': {
      const telemetry = telemetrySubjects(subjects);
      // Discovers every instance (health of each service, gateways), feeds the console, watches dead letters.
      return { publish: [`${ns}.*.health`, telemetry.gatewayHealth, telemetry.live], subscribe: [subjects.allDeadLetters] };
    }
    case 'registry': {
      const agencyEvents = agencyEventSubjects(subjects);
      // Accepted agency events and their per-subscriber copies go to their streams; a publisher
      // that asked for a verdict gets it in its own inbox.
      return { publish: [agencyEvents.allAccepted, agencyEvents.allDeliveries, `_INBOX.${ns}.ext.>`], subscribe: [] };
    }
    default:
      return { publish: [], subscribe: [] };
  }
}

/** One platform process as the server's configuration lists it. */
export interface PlatformNatsUser {
  role: PlatformRole;
  publicKey: string;
}

/** The file (next to the seeds) that lists the platform's public keys, for whoever writes the server's authorization. */
export const PLATFORM_USERS_FILE = 'platform-users.json';

export const seedFileName = (role: PlatformRole) => `${role}.nk`;

/**
 * Makes sure `dir` holds a seed per platform role (created once, mode 600) and the
 * public-key list; returns the platform's users.
 */
export async function ensurePlatformKeys(dir: string): Promise<PlatformNatsUser[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const users: PlatformNatsUser[] = [];
  for (const role of PLATFORM_ROLES) {
    const file = join(dir, seedFileName(role));
    let seed = await readFile(file, 'utf8').catch(() => null);
    if (!seed) {
      seed = new TextDecoder().decode(nkeys.createUser().getSeed());
      await writeFile(file, `${seed}\n`, { mode: 0o600 });
    }
    await chmod(file, 0o600);
    users.push({ role, publicKey: nkeys.fromSeed(new TextEncoder().encode(seed.trim())).getPublicKey() });
  }
  await writeFile(join(dir, PLATFORM_USERS_FILE), `${JSON.stringify(Object.fromEntries(users.map((u) => [u.role, u.publicKey])), null, 2)}\n`);
  return users;
}

/** Reads the public-key list ensurePlatformKeys wrote. */
export async function readPlatformUsers(file: string): Promise<PlatformNatsUser[]> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  return PLATFORM_ROLES.filter((role) => typeof parsed[role] === 'string').map((role) => ({ role, publicKey: parsed[role] as string }));
}

/** A seed file's content, checked, for nats.js's nkeyAuthenticator. */
export async function readSeedFile(file: string): Promise<Uint8Array> {
  const seed = (await readFile(file, 'utf8')).trim();
  if (!/^SU[A-Z2-7]+$/.test(seed)) throw new Error(`NATS_NKEY_SEED_FILE ${file} holds no NKey user seed (SU…)`);
  return new TextEncoder().encode(seed);
}
