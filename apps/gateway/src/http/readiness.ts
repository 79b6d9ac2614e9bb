import type { NatsConnection } from '@simpul/bus';
import { busState, decodeJson, isNoResponders } from '@simpul/bus';
import type { ServiceName, Subjects } from '@simpul/contracts';

export interface Readiness {
  ready: boolean;
  nats: string;
  services: Record<string, string>;
}

/**
 * Ready means: NATS is connected and every configured service answers its health
 * subject with status ok (which includes its own database).
 */
export async function checkReadiness(nc: NatsConnection, subjects: Subjects, services: readonly ServiceName[], timeoutMs = 1_000): Promise<Readiness> {
  const nats = busState(nc);
  const entries = await Promise.all(
    services.map(async (service): Promise<[string, string]> => {
      if (nats !== 'connected') return [service, 'unknown'];
      try {
        const reply = await nc.request(subjects.health(service), new Uint8Array(), { timeout: timeoutMs });
        const report = decodeJson(reply.data) as { status?: string; checks?: Record<string, string> };
        if (report.status === 'ok') return [service, 'ok'];
        return [service, `degraded: ${JSON.stringify(report.checks ?? {})}`];
      } catch (error) {
        return [service, isNoResponders(error) ? 'not running' : 'not answering'];
      }
    }),
  );
  const servicesReport = Object.fromEntries(entries);
  return {
    ready: nats === 'connected' && entries.every(([, s]) => s === 'ok'),
    nats,
    services: servicesReport,
  };
}
