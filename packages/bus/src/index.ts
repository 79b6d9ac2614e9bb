export { connectBus, busState, isNoResponders, BusUnavailableError, type ConnectOptions, type NatsConnection } from './connection.ts';
export {
  serveGraphQL,
  type GraphQLRequestPayload,
  type GraphQLResponder,
  type InProcessRequest,
  type WireResult,
  type HealthReport,
  type RequestInfo,
  type ServeGraphQLOptions,
} from './graphql-responder.ts';
export { createNatsExecutor, type CallerContext, type NatsExecutorOptions, type ServiceExchange } from './graphql-executor.ts';
export { serveJwks, fetchJwks, publishedJwks, createBusTokenVerifier, type BusTokenVerifierOptions } from './jwks.ts';
export { followTokenRevocations, createTokenDenyList, type TokenRevocationFollower, type FollowTokenRevocationsOptions } from './token-revocations.ts';
export {
  ensureEventStream,
  createEvent,
  publishEvent,
  consumeEvents,
  type OutgoingEvent,
  type ConsumeOptions,
  type HandlingConsumeOptions,
  type ApplyingConsumeOptions,
  type TransactionRunner,
  type EventConsumer,
} from './events.ts';
export { OutboxRelay, type OutboxStore, type OutboxRelayOptions } from './outbox.ts';
export { encodeJson, decodeJson } from './codec.ts';
export { outgoingHeaders } from './headers.ts';
export { stitchingDirectivesTypeDefs } from './stitching.ts';
export { operationLabel } from './operation-name.ts';
export { requestErrorCode, isDatabaseUnavailable } from './errors.ts';
export { writeOutboxEvent, writeOutboxEvents, SqlOutboxStore, recordProcessedEvent, type RawSql } from './outbox-sql.ts';
export { sharedTypeDefs } from './shared-type-defs.ts';
export { recordAudit, auditDenials } from './audit.ts';
export {
  ensureDeadLetterStream,
  listDeadLetters,
  getDeadLetter,
  replayDeadLetter,
  discardDeadLetter,
  publishDeadLetter,
  terminate,
  DEAD_LETTER_HEADERS,
  type DeadLetter,
} from './dead-letters.ts';
export {
  createAgencyNkey,
  agencyPermissions,
  renderNatsAuthorization,
  writeNatsAuthorization,
  ensureExternalStream,
  type AgencyNatsUser,
  type AgencyPermissions,
} from './agency-credentials.ts';
export { subscriberPermissions } from './agency-deliveries.ts';
export {
  PLATFORM_ROLES,
  PLATFORM_USERS_FILE,
  platformPermissions,
  platformInboxPrefix,
  ensurePlatformKeys,
  readPlatformUsers,
  seedFileName,
  type PlatformRole,
  type PlatformNatsUser,
  type NatsPermissions,
} from './platform-credentials.ts';
export {
  openServiceRuntime,
  waitForRevocations,
  type ServiceRuntime,
  type ServiceRuntimeOptions,
  type ServiceStartOptions,
  type RunningService,
} from './service-runtime.ts';
