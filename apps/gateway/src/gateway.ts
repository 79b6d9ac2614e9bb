import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import {
  createBusTokenVerifier,
  createTokenDenyList,
  publishedJwks,
  followTokenRevocations,
  waitForRevocations,
  type NatsConnection,
  type ServiceExchange,
} from '@simpul/bus';
import { ErrorCode, subjectsFor, type ServiceName } from '@simpul/contracts';
import { isExpectedError, type Logger } from '@simpul/kit';
import { authenticate, type GatewayContext } from './auth.ts';
import type { GatewayEnvironment } from './environment.ts';
import { checkReadiness } from './http/readiness.ts';
import { graphiqlServedLocally, renderLocalGraphiQL } from './http/graphiql-assets.ts';
import { createHttpServer } from './http/server.ts';
import { clientAddressResolver } from './http/client-address.ts';
import { useErrorCodes } from './plugins/error-codes.ts';
import { useQueryLimits } from './plugins/limits.ts';
import { useQueryPlans } from './plugins/query-plans.ts';
import { useSingleServiceRoute } from './plugins/single-service.ts';
import { useOperationSpans } from './plugins/tracing.ts';
import { SchemaRegistry } from './stitching/schema-registry.ts';
import { useStagedUploads } from './uploads/staged-uploads.ts';
import { useCookieSessions } from './sessions/cookie-sessions.ts';
import { createAttachmentDownloads } from './downloads/attachment-downloads.ts';
import { createGatewayTelemetry } from './telemetry/index.ts';
import { createEventIngestion } from './agency-events/event-ingestion.ts';
import { createLiveEvents } from './subscriptions/live-events.ts';
import { liveSchema } from './subscriptions/live-schema.ts';
import { useEventIds } from './subscriptions/event-stream.ts';
import { createClientLimits } from './rate-limits/client-limits.ts';
import { useSignInLimits } from './rate-limits/sign-in-limits.ts';
import { loadTrustedDocuments } from './trusted-documents/manifest.ts';
import { useTrustedDocuments } from './trusted-documents/trusted-documents.ts';

/** How long shutdown waits for requests in flight before closing their connections. */
const CLOSE_GRACE_MS = 5_000;

export interface GatewayOptions {
  env: GatewayEnvironment;
  nc: NatsConnection;
  logger: Logger;
  /**
   * Called for each NATS request to a service, whichever path executes the operation
   * (query plan, single-service route or stitching), once it is answered or has failed:
   * the service, bytes out and in, and the operation's context. Tests count round trips
   * with it; an exchange record per operation can be built from it.
   */
  onServiceRequest?: (service: ServiceName, exchange: ServiceExchange) => void;
}

export interface Gateway {
  server: Server;
  registry: SchemaRegistry;
  /** Listens on the configured host and port (0 picks a free one); resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The GraphQL gateway: one graph over the services' subschemas, spoken over NATS.
 * Start-up waits (bounded) for the services' SDL; requests are authenticated here
 * and again in each service.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { env, nc, logger } = options;
  // Read first: a manifest that does not load stops start-up with the reason.
  const clientAddressOf = clientAddressResolver(env.TRUSTED_PROXIES);
  const trustedDocuments = env.TRUSTED_DOCUMENTS.length > 0 ? loadTrustedDocuments(env.TRUSTED_DOCUMENTS) : undefined;
  const subjects = subjectsFor(env.SIMPUL_NAMESPACE);
  // Tokens identity revoked (a transfer, a disabled account) are refused here too.
  const denyList = createTokenDenyList();
  const revocations = followTokenRevocations({ nc, subjects, denyList, logger: logger.child({ component: 'token-revocations' }) });
  const verifier = createBusTokenVerifier(nc, subjects, denyList, { rootPublicKey: env.TOKEN_ROOT_PUBLIC_KEY, logger });
  const telemetry = createGatewayTelemetry({
    nc,
    subjects,
    verifier,
    logger,
    exchangeRecords: env.GATEWAY_EXCHANGE_RECORDS,
    ready: () => registry.current !== undefined,
  });
  // Subscriptions: JetStream events, checked per subscriber, as Server-Sent Events.
  const live = createLiveEvents({ nc, subjects, verifier, logger });
  const registry = new SchemaRegistry({
    nc,
    subjects,
    services: env.GATEWAY_SERVICES,
    serviceTimeoutMs: env.SERVICE_TIMEOUT_MS,
    retryMs: env.DISCOVERY_RETRY_MS,
    logger,
    extend: (subschemas) => liveSchema(subschemas, live),
    onRequest: (service, exchange) => {
      options.onServiceRequest?.(service, exchange);
      telemetry.onServiceRequest(service, exchange);
    },
  });
  try {
    await registry.start(env.DISCOVERY_WAIT_MS);
    await waitForRevocations(revocations.ready, logger);
  } catch (error) {
    telemetry.close();
    await live.close();
    await revocations.stop();
    throw error;
  }
  if (env.GRAPHIQL && !graphiqlServedLocally) {
    logger.warn('GraphiQL files not found (run `npm run build`); the GraphiQL page says so instead of loading');
  }
  if (trustedDocuments) {
    logger.info({ documents: trustedDocuments.size, freeFormRoles: env.FREE_FORM_ROLES }, 'running trusted documents only, except for the free-form roles');
  }

  const yoga = createYoga<{ req?: IncomingMessage }, GatewayContext>({
    graphqlEndpoint: '/graphql',
    schema: () => {
      const current = registry.current;
      if (!current) throw new GraphQLError('No service is available yet', { extensions: { code: ErrorCode.ServiceUnavailable, http: { status: 503 } } });
      return current.gateway;
    },
    // The client's address travels to the services for their audit entries ("from where").
    context: ({ request, req }) => authenticate(request, verifier, req ? clientAddressOf(req) : undefined),
    graphiql: env.GRAPHIQL ? { title: 'Simpul' } : false,
    // yoga's own CORS answers every origin; the HTTP server answers only CORS_ORIGINS.
    cors: false,
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    logging: {
      debug: () => {},
      info: (...a) => logger.info(a.join(' ')),
      warn: (...a) => logger.warn(a.join(' ')),
      error: (...a) => logger.error(a.join(' ')),
    },
    maskedErrors: {
      maskError(error, message) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (!original || isExpectedError(original) || original instanceof GraphQLError)) return error;
        logger.error({ err: original }, 'unexpected error in gateway');
        return new GraphQLError(message, { extensions: { code: ErrorCode.InternalServerError } });
      },
    },
    plugins: [
      // First: the text it puts in place of a document id is what every later plugin sees.
      useTrustedDocuments({ documents: trustedDocuments, freeFormRoles: env.FREE_FORM_ROLES, verifier, maxTokens: env.MAX_TOKENS }),
      useSignInLimits({
        loginFailures: env.LOGIN_FAILURES_PER_ADDRESS,
        refreshes: env.REFRESHES_PER_ADDRESS,
        windowMs: env.SIGN_IN_LIMIT_WINDOW_SECONDS * 1000,
      }),
      useQueryLimits({
        maxDepth: env.MAX_DEPTH,
        maxAliases: env.MAX_ALIASES,
        maxTokens: env.MAX_TOKENS,
        maxCost: env.MAX_COST,
        maxDirectives: env.MAX_DIRECTIVES,
      }),
      // Tried in reverse order: one service alone, then the query plan, then plain stitching.
      ...(env.QUERY_PLANS ? [useQueryPlans(registry, logger)] : []),
      ...(env.SINGLE_SERVICE_ROUTE ? [useSingleServiceRoute(registry)] : []),
      // After the plugins that decide how an operation executes: it wraps whichever runs.
      useStagedUploads({
        nc,
        subjects,
        verifier,
        maxBytes: env.MAX_UPLOAD_BYTES,
        quota: { maxBytes: env.UPLOAD_QUOTA_BYTES, maxFiles: env.UPLOAD_QUOTA_FILES },
        logger,
      }),
      // After the execution-choosing plugins too: its rewrite reaches whichever executes.
      useCookieSessions({ verifier }),
      useOperationSpans(),
      useErrorCodes(),
      useEventIds(live),
      ...telemetry.plugins,
    ] as Plugin[],
  });

  let jwksCache: { at: number; value: unknown } | undefined;
  const server = createHttpServer(
    yoga,
    {
      health: () => ({ status: 'ok' }),
      attachment: createAttachmentDownloads({ nc, subjects, verifier, timeoutMs: env.SERVICE_TIMEOUT_MS, logger, clientAddressOf }),
      live: telemetry.live,
      events: createEventIngestion({ nc, subjects, verifier, timeoutMs: env.SERVICE_TIMEOUT_MS, logger }),
      ready: async () => {
        const report = await checkReadiness(nc, subjects, env.GATEWAY_SERVICES);
        const missing = registry.missing();
        return { ...report, ready: report.ready && missing.length === 0, ...(missing.length ? { undiscovered: missing } : {}) };
      },
      jwks: async () => {
        if (!jwksCache || Date.now() - jwksCache.at > 30_000)
          jwksCache = { at: Date.now(), value: await publishedJwks(nc, subjects, env.TOKEN_ROOT_PUBLIC_KEY) };
        return jwksCache.value;
      },
    },
    {
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxUploadBytes: env.MAX_UPLOAD_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      https: env.GATEWAY_HTTPS,
      admit: createClientLimits({ requests: env.RATE_LIMIT_REQUESTS, windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000, verifier, clientAddressOf }),
    },
  );

  return {
    server,
    registry,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(env.GATEWAY_PORT, env.GATEWAY_HOST, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://${env.GATEWAY_HOST}:${port}`);
        });
      }),
    close: async () => {
      registry.stop();
      telemetry.close();
      // Stop accepting, let requests in flight finish, then cut whatever is left
      // (a client that stopped reading a response must not hold shutdown forever).
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await live.close();
      await revocations.stop();
    },
  };
}
