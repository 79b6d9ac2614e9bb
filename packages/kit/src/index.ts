export { loadEnvironment, commonEnvironment, databaseEnvironment, ConfigError, z, boolish } from './environment.ts';
export { createLogger, type Logger } from './logger.ts';
export { unauthenticated, forbidden, badUserInput, notFound, conflict, serviceUnavailable, accountLocked, isExpectedError } from './errors.ts';
export { type Principal, hasRole, requirePrincipal, requireRole } from './principal.ts';
export {
  createTokenVerifier,
  bearerToken,
  TOKEN_ISSUER,
  TOKEN_AUDIENCE,
  TOKEN_ALGORITHM,
  type SimpulClaims,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './tokens.ts';
export {
  createRootKey,
  readRootPrivateKey,
  parseRootPublicKey,
  rootPublicKeyText,
  endorseKey,
  isEndorsed,
  pinKeys,
  ENDORSEMENT_MEMBER,
} from './key-endorsement.ts';
export { TokenDenyList, type TokenRevocation, type RevocableToken, type TokenDenyListOptions } from './deny-list.ts';
export { Lifecycle } from './lifecycle.ts';
export { serviceDatabaseUrl, databaseName, ensureDatabase, dropDatabase, createPool, NameAsTextPool } from './database.ts';
export { applyMigrations, runMigrateCommand, runSeedCommand, type SeedCommand } from './migrations.ts';
export { openPrismaDatabase, isUniqueViolation, type Database, type OpenDatabaseOptions } from './prisma-database.ts';
export { AdvisoryLock, type AdvisoryLockOptions, type LockAttempt, type LockLease } from './advisory-lock.ts';
export { runProcess, type RunProcessOptions, type RunningProcess } from './process.ts';
export { startHealthServer, type HealthServer, type ProcessHealth } from './health-server.ts';
export { pageSize, encodeCursor, decodeCursor, toConnection, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Connection } from './pagination.ts';
export { batchLoader, groupBy, type Loader } from './batch-loader.ts';
export { parseNatsUrl, redactNatsUrl } from './nats-url.ts';
export { searchText, lookupKeys, MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, MAX_LOOKUP_KEYS } from './input-limits.ts';
export { MasterKeyEncryption, masterKeyId, decodeMasterKey, type KeyEncryption, type WrappedKey } from './key-encryption.ts';
export { sealSecret, openSecret, rewrapSecret, isSealedSecret, sealedSecretKeyId } from './sealed-secret.ts';
export { masterKeyEnvironment, openMasterKeyEncryption, masterKeyFile, type MasterKeySettings } from './master-key.ts';
