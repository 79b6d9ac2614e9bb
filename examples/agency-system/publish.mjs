// An agency's own system publishing its events on the Simpul bus.
//
//   NATS_URL=nats://simpul.example.go.id:4222 \
//   AGENCY_CODE=KOMINFO \
//   SIMPUL_NATS_SEED=SU...        # registerApiClient's nats.seed, shown once
//   node examples/agency-system/publish.mjs
//
// Optional: SIMPUL_NAMESPACE (default simpul): it must be the platform's namespace, the
// first word of the subjects in registerApiClient's nats.publish. Needs the npm packages
// @nats-io/transport-node and @nats-io/jetstream (npm install them in your project).
import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const agency = process.env.AGENCY_CODE;
const seed = process.env.SIMPUL_NATS_SEED;
const ns = process.env.SIMPUL_NAMESPACE ?? 'simpul';
if (!agency || !seed) {
  console.error('Set AGENCY_CODE and SIMPUL_NATS_SEED (from registerApiClient { nats { seed } })');
  process.exit(2);
}

const subject = `${ns}.ext.${agency}.sppd.issued`;
try {
  const nc = await connect({
    servers: url,
    name: `${agency} SIMPEG`,
    // The NKey seed signs the server's challenge; it never leaves this process.
    authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
    // Replies (JetStream acknowledgements) may only come to this agency's own inbox.
    inboxPrefix: `_INBOX.${ns}.ext.${agency}`,
  });

  // Publish one event with JetStream: the server acknowledges once it is stored. The
  // message id makes a retry after a lost acknowledgement harmless (no duplicate).
  const js = jetstream(nc);
  const event = {
    id: crypto.randomUUID(),
    type: 'sppd.issued',
    occurredAt: new Date().toISOString(),
    data: { number: '800/001/KOMINFO/2026', traveller: '198503302010011002' },
  };
  const ack = await js.publish(`${ns}.ext.${agency}.sppd.issued`, JSON.stringify(event), { msgID: event.id });
  console.log(`stored as #${ack.seq} in ${ack.stream}${ack.duplicate ? ' (duplicate)' : ''}`);
  await nc.drain();
} catch (error) {
  console.error(explain(error));
  process.exit(1);
}

/** What went wrong, in words an agency's developer can act on (no stack trace). */
function explain(error) {
  const text = String(error?.message ?? error);
  if (/authorization|authentication/i.test(text)) {
    return `The server at ${url} refused these credentials: check SIMPUL_NATS_SEED (registerApiClient's nats.seed) and that the API client is not revoked. (${text})`;
  }
  if (/permissions violation|timeout|no responders/i.test(text)) {
    return (
      `The server refused or did not acknowledge publishing on ${subject}. Are AGENCY_CODE and SIMPUL_NAMESPACE (${ns}) those of the credentials? ` +
      `registerApiClient's nats.publish says which subjects they may use. (${text})`
    );
  }
  if (/ECONNREFUSED|CONNECTION_REFUSED|connect/i.test(text)) return `Cannot reach NATS at ${url}: check NATS_URL. (${text})`;
  return `Publishing failed: ${text}`;
}
// Anything else is refused by the server, e.g. another agency's subject:
//   nc.publish(`${ns}.ext.BKN.sppd.issued`, ...)  ->  Permissions Violation for Publish
