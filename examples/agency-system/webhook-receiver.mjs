// An agency system receiving the events it was granted as webhooks, checking each one.
//
//   SIMPUL_WEBHOOK_SECRET=whsec_...   # setEventWebhook's secret, shown once
//   PORT=8080 node examples/agency-system/webhook-receiver.mjs
//
// Simpul signs each POST: Simpul-Signature: v1=<hex HMAC-SHA256(secret, "<Simpul-Timestamp>.<body>")>.
// A receiver must (1) recompute it over the raw body, (2) refuse old timestamps, so a
// recorded request cannot be sent again later, and (3) de-duplicate by Simpul-Event-Id,
// because delivery is at least once. Answer 2xx only once the event is safely kept:
// anything else is retried with backoff, then parked as a dead letter Simpul can replay.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.SIMPUL_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set SIMPUL_WEBHOOK_SECRET (from setEventWebhook)');
  process.exit(2);
}
const TOLERANCE_SECONDS = 300;
const seen = new Map(); // event id -> time seen; a real system keeps this in its database

function verify(headers, body) {
  const timestamp = Number(headers['simpul-timestamp']);
  if (!Number.isInteger(timestamp)) return 'no timestamp';
  if (Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return 'timestamp too old or in the future';
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(String(headers['simpul-signature'] ?? ''));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad signature';
  return null;
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const problem = verify(req.headers, body);
    if (problem) {
      console.warn(`refused: ${problem}`);
      res.writeHead(401).end();
      return;
    }
    const event = JSON.parse(body);
    if (seen.has(event.id)) {
      res.writeHead(200).end(); // already handled: acknowledge again, do nothing
      return;
    }
    seen.set(event.id, Date.now());
    console.log(`${event.agencyCode} ${event.type} v${event.version} ${event.id}:`, JSON.stringify(event.data));
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8080), () => console.log(`listening on ${process.env.PORT ?? 8080}`));
