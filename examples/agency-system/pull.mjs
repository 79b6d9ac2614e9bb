// An agency system receiving the events it was granted over NATS: it pulls them from its
// own durable consumer, deliver-<clientId>, which its credentials may read and nothing else.
//
//   NATS_URL=nats://simpul.example.go.id:4222 AGENCY_CODE=PROV-JATENG \
//   SIMPUL_CLIENT_ID=sc_... SIMPUL_NATS_SEED=SU... node examples/agency-system/pull.mjs
//
// Needs @nats-io/transport-node and @nats-io/jetstream. Delivery is at least once:
// acknowledge after the event is kept, and de-duplicate by its id.
import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';

const ns = process.env.SIMPUL_NAMESPACE ?? 'simpul';
const { AGENCY_CODE: agency, SIMPUL_CLIENT_ID: clientId, SIMPUL_NATS_SEED: seed } = process.env;
if (!agency || !clientId || !seed) {
  console.error('Set AGENCY_CODE, SIMPUL_CLIENT_ID and SIMPUL_NATS_SEED');
  process.exit(2);
}
const nc = await connect({
  servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
  authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
  inboxPrefix: `_INBOX.${ns}.ext.${agency}`,
});
const consumer = await jetstream(nc).consumers.get(`${ns.toUpperCase().replace(/-/g, '_')}_DELIVERIES`, `deliver-${clientId}`);
for await (const msg of await consumer.consume()) {
  const event = msg.json();
  console.log(`${event.agencyCode} ${event.type} v${event.version} ${event.id}:`, JSON.stringify(event.data));
  msg.ack();
}
