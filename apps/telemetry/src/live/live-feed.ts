import { encodeJson, type NatsConnection } from '@simpul/bus';
import { telemetrySubjects, type ExchangeRecord, type Subjects } from '@simpul/contracts';

/** One message of the live feed, as gateways relay it to SSE clients (see the SDL's header comment). */
export interface LiveMessage {
  event: 'exchange' | 'snapshot' | 'dead-letter';
  data: unknown;
}

/**
 * Publishes the live feed on NATS (core, fire-and-forget): every gateway relays it to the
 * consoles connected to it. Nobody listening costs one publish.
 */
export class LiveFeed {
  private readonly subject: string;
  constructor(
    private readonly nc: NatsConnection,
    subjects: Subjects,
  ) {
    this.subject = telemetrySubjects(subjects).live;
  }

  publish(message: LiveMessage): void {
    try {
      this.nc.publish(this.subject, encodeJson(message));
    } catch {
      /* closing or disconnected: the feed is best effort */
    }
  }

  exchange(r: ExchangeRecord): void {
    this.publish({
      event: 'exchange',
      data: {
        id: r.id,
        at: r.at,
        traceId: r.traceId,
        operationName: r.operationName,
        operationType: r.operationType,
        agencyCode: r.agencyCode,
        clientKind: r.clientKind,
        services: r.services.map((s) => s.service),
        natsRequests: r.natsRequests,
        durationMs: r.durationMs,
        outcome: r.outcome,
        errorCodes: r.errorCodes,
      },
    });
  }
}
