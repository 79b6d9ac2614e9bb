import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Plugin } from 'graphql-yoga';
import { encodeJson, type NatsConnection, type ServiceExchange } from '@simpul/bus';
import { telemetrySubjects, type InstanceInfo, type ServiceName, type Subjects } from '@simpul/contracts';
import type { Logger, TokenVerifier } from '@simpul/kit';
import { useErrorTraceIds } from './error-trace-ids.ts';
import { createExchangeRecorder } from './exchange-recorder.ts';
import { createLiveEndpoint, LIVE_PATH } from './live-endpoint.ts';

export { LIVE_PATH };

export interface GatewayTelemetryOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verifier: TokenVerifier;
  logger: Logger;
  /** Exchange records on (GATEWAY_EXCHANGE_RECORDS); off only to measure what they cost. */
  exchangeRecords: boolean;
  /** Whether this gateway can serve (its answer to instance discovery). */
  ready: () => boolean;
}

/**
 * The gateway's part of telemetry, in one place: the exchange record of every GraphQL
 * operation (published to the telemetry service over NATS), `extensions.traceId` on
 * every error, the answer to the telemetry service's instance discovery, and the live
 * feed for the operators' console at GET /telemetry/live.
 */
export function createGatewayTelemetry(options: GatewayTelemetryOptions) {
  const subjects = telemetrySubjects(options.subjects);
  const instance: InstanceInfo = { id: randomUUID(), host: hostname(), pid: process.pid, startedAt: new Date().toISOString() };
  const recorder = options.exchangeRecords ? createExchangeRecorder({ nc: options.nc, subject: subjects.exchange, gatewayInstance: instance.id }) : null;
  const live = createLiveEndpoint({ nc: options.nc, subject: subjects.live, verifier: options.verifier, logger: options.logger });
  const discovery = options.nc.subscribe(subjects.gatewayHealth, {
    callback: (_e, msg) => {
      const ready = options.ready();
      msg.respond(encodeJson({ status: ready ? 'ok' : 'degraded', checks: { nats: 'ok', schema: ready ? 'ok' : 'no service discovered yet' }, instance }));
    },
  });

  return {
    instance,
    plugins: [useErrorTraceIds(), ...(recorder ? [recorder.plugin] : [])] as Plugin[],
    onServiceRequest: (service: ServiceName, exchange: ServiceExchange) => recorder?.onServiceRequest(service, exchange),
    live: live.handle,
    close(): void {
      live.close();
      discovery.unsubscribe();
    },
  };
}
