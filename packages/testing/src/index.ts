export {
  testServerUrl,
  testNatsUrl,
  uniqueSuffix,
  uniqueNamespace,
  createTestDatabase,
  removeNamespaceStreams,
  type TestDatabase,
} from './infrastructure.ts';
export { startProcess, freePort, cpuSeconds, type StartedProcess } from './processes.ts';
export { connectTestBus, requestService, postGraphQL, type GraphQLResponse } from './graphql.ts';
export { startNatsServer, natsServerBinary, type NatsServerOptions, type TestNatsServer } from './nats-server.ts';
export { startNatsCluster, type TestNatsCluster, type TestNatsNode } from './nats-cluster.ts';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
export { startPrivatePostgres, postgresBinaries, type PrivatePostgres } from './private-postgres.ts';
export { queryDatabase } from './query-database.ts';
export { createTestTokenIssuer, type TestCaller, type TestTokenIssuer } from './test-tokens.ts';
export { errorCodes, eventually } from './waiting.ts';
export { readMergedFields, type AskService, type MergedFieldRead } from './merged-fields.ts';
export { countGatewayRequests } from './gateway-requests.ts';
export { openSubscription, type OpenSubscription, type SubscriptionEvent } from './subscriptions.ts';
