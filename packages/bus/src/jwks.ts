import type { JSONWebKeySet } from 'jose';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Subjects } from '@simpul/contracts';
import { createTokenVerifier, parseRootPublicKey, pinKeys, type Logger, type TokenDenyList, type TokenVerifier } from '@simpul/kit';
import { decodeJson, encodeJson } from './codec.ts';

/** Identity answers `<ns>.identity.jwks` with its current public keys. */
export function serveJwks(nc: NatsConnection, subjects: Subjects, currentJwks: () => Promise<JSONWebKeySet>): Subscription {
  return nc.subscribe(subjects.jwks, {
    queue: 'identity',
    callback: (_error, msg) => {
      void currentJwks().then(
        (jwks) => msg.respond(encodeJson(jwks)),
        () => msg.respond(encodeJson({ keys: [] })),
      );
    },
  });
}

/** Reads identity's public keys over NATS. */
export async function fetchJwks(nc: NatsConnection, subjects: Subjects, timeoutMs = 2_000): Promise<JSONWebKeySet> {
  const reply = await nc.request(subjects.jwks, new Uint8Array(), { timeout: timeoutMs });
  const jwks = decodeJson(reply.data) as JSONWebKeySet;
  if (!Array.isArray(jwks?.keys)) throw new Error('identity answered without a key set');
  return jwks;
}

/** The keys to show outside (the gateway's /.well-known/jwks.json): with a root public key, only those it endorses. */
export async function publishedJwks(nc: NatsConnection, subjects: Subjects, rootPublicKey?: string): Promise<JSONWebKeySet> {
  const jwks = await fetchJwks(nc, subjects);
  return rootPublicKey ? pinKeys(jwks, parseRootPublicKey(rootPublicKey)).jwks : jwks;
}

export interface BusTokenVerifierOptions {
  /** TOKEN_ROOT_PUBLIC_KEY: only keys it endorses are used, whoever answers the JWKS subject. */
  rootPublicKey?: string | undefined;
  /** Where refused keys are reported (a sign of a rogue JWKS answer or a missing endorsement). */
  logger?: Logger;
}

/**
 * A token verifier whose keys come from identity over NATS; revoked tokens are refused
 * when given the deny list. Without a root public key the keys are taken as they come
 * (a warning says so): anyone who can answer the JWKS subject could then add a key.
 */
export function createBusTokenVerifier(nc: NatsConnection, subjects: Subjects, denyList?: TokenDenyList, options: BusTokenVerifierOptions = {}): TokenVerifier {
  const { rootPublicKey, logger } = options;
  if (!rootPublicKey) logger?.warn('TOKEN_ROOT_PUBLIC_KEY is not set: token signing keys are taken from the bus unpinned');
  return createTokenVerifier({
    fetchJwks: () => fetchJwks(nc, subjects),
    ...(denyList ? { denyList } : {}),
    rootPublicKey,
    onRefusedKeys: (kids) => logger?.error({ kids }, 'refused token signing keys without a valid endorsement by TOKEN_ROOT_PUBLIC_KEY'),
  });
}
