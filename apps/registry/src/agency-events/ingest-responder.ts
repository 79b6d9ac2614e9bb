import { decodeJson, encodeJson, type NatsConnection } from '@simpul/bus';
import type { AgencyEventIngestRequest, AgencyEventVerdict } from '@simpul/contracts';
import { hasRole, type Logger, type TokenVerifier } from '@simpul/kit';
import type { AgencyEventGate } from './agency-event-gate.ts';

/**
 * Answers the gateway's ingestion requests (events received over HTTP). The registry
 * verifies the caller's token itself, as for GraphQL: only an API client publishes, and
 * always as its own agency. Instances share the subject in a queue group.
 */
export function serveEventIngestion(options: { nc: NatsConnection; gate: AgencyEventGate; verifier: TokenVerifier; logger: Logger }): {
  stop(): Promise<void>;
} {
  const { nc, gate, verifier, logger } = options;
  const sub = nc.subscribe(gate.names.ingest, { queue: 'registry' });
  const refuse = (type: string, code: Extract<AgencyEventVerdict, { accepted: false }>['code'], reason: string): AgencyEventVerdict => ({
    accepted: false,
    id: null,
    type,
    code,
    reason,
  });

  async function answer(data: Uint8Array): Promise<AgencyEventVerdict> {
    let request: AgencyEventIngestRequest;
    try {
      request = decodeJson(data) as AgencyEventIngestRequest;
    } catch {
      return refuse('', 'BAD_USER_INPUT', 'malformed ingestion request');
    }
    const type = String(request.eventType ?? '');
    let principal;
    try {
      principal = await verifier.verify(String(request.token ?? ''));
    } catch {
      return refuse(type, 'FORBIDDEN', 'the token is not valid');
    }
    if (principal.kind !== 'client' || !hasRole(principal, 'API_CLIENT'))
      return refuse(type, 'FORBIDDEN', 'events are published by API clients (client credentials), not by users');
    try {
      return await gate.accept({
        agencyCode: principal.agencyCode,
        eventType: type,
        channel: 'HTTP',
        publisher: principal.username,
        body: String(request.body ?? ''),
      });
    } catch (error) {
      logger.error({ err: error, type }, 'cannot take an agency event in');
      return refuse(type, 'SERVICE_UNAVAILABLE', 'the event could not be stored; send it again with the same id');
    }
  }

  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const msg of sub) {
      // Answered concurrently (each is a few database reads and one stream publish); more instances share the load.
      const work = answer(msg.data).then((verdict) => {
        msg.respond(encodeJson(verdict));
      });
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    }
  })();
  return {
    async stop() {
      await sub.drain();
      await loop;
      await Promise.allSettled([...inFlight]);
    },
  };
}
