import { homedir } from 'node:os';
import { join } from 'node:path';
import { MAX_TOKEN_LIFETIME_SECONDS } from '@simpul/contracts';
import { commonEnvironment, databaseEnvironment, loadEnvironment, masterKeyEnvironment, z } from '@simpul/kit';

function identityEnvironment(home: string) {
  return z.object({
    ...commonEnvironment,
    ...databaseEnvironment,
    ...masterKeyEnvironment,
    /**
     * Password of the first administrator (`admin`), used only when no administrator
     * exists yet; afterwards change it with the `resetPassword` mutation.
     */
    SIMPUL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    /**
     * Lifetime of a token; a rotated-out signing key stays published this long plus five
     * minutes. Token verifiers keep revocations for the contract's longest lifetime.
     */
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(MAX_TOKEN_LIFETIME_SECONDS).default(900),
    /**
     * Absolute lifetime of a login session: its refresh tokens renew the access token
     * (TOKEN_TTL_SECONDS) until this many hours after the login, then the user logs in
     * again. The default, 12 hours, covers a working day with overtime.
     */
    SESSION_LIFETIME_HOURS: z.coerce
      .number()
      .min(0.05)
      .max(24 * 30)
      .default(12),
    /** Failed logins in a row after which an account locks. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** Where the demo administrator password (and, outside production, a generated master key) is kept. */
    SIMPUL_STATE_DIR: z.string().min(1).default(join(home, '.simpul')),
    /**
     * The nats-server authorization file identity keeps (the platform user plus one NKey
     * user per API client); unset, no file is written (see infra/nats/README.md).
     */
    NATS_AUTHORIZATION_FILE: z.string().min(1).optional(),
    /**
     * The platform's token root private key (PKCS#8 PEM, Ed25519): identity endorses its
     * signing keys with it, and verifiers with TOKEN_ROOT_PUBLIC_KEY accept only endorsed
     * keys. `npm start` creates it in SIMPUL_STATE_DIR.
     */
    TOKEN_ROOT_KEY_FILE: z.string().min(1).optional(),
    /**
     * The platform processes' NKey public keys (platform-users.json, written with their
     * seeds by `npm start` or packages/bus's platform-nats command): the authorization
     * file then lists each process with its own permissions instead of the password user.
     */
    NATS_PLATFORM_USERS_FILE: z.string().min(1).optional(),
    /** nats-server's pid file: identity sends it SIGHUP after rewriting the authorization file. */
    NATS_SERVER_PID_FILE: z.string().min(1).optional(),
  });
}

export type IdentityEnvironment = z.infer<ReturnType<typeof identityEnvironment>>;

/** The identity service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): IdentityEnvironment {
  return loadEnvironment(identityEnvironment(source.HOME || homedir()), source);
}
