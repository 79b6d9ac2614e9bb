import { agencyEventSubjects, type Subjects } from '@simpul/contracts';
import type { AgencyPermissions } from './agency-credentials.ts';

/**
 * What an API client may do on the bus to receive the agency events granted to it:
 * pull from its own durable consumer on the deliveries stream (`deliver-<clientId>`,
 * which the registry keeps while the client holds a grant), read that consumer's state,
 * and acknowledge its messages. Nothing else: no other client's consumer, no stream
 * or consumer management. The messages themselves arrive on the client's inbox, which
 * agencyPermissions already lets it read.
 */
export function subscriberPermissions(subjects: Subjects, clientId: string): AgencyPermissions {
  const names = agencyEventSubjects(subjects);
  const stream = names.deliveryStream;
  const consumer = names.deliveryConsumer(clientId);
  return {
    publish: [`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, `$JS.API.CONSUMER.INFO.${stream}.${consumer}`, `$JS.ACK.${stream}.${consumer}.>`],
    subscribe: [],
  };
}
