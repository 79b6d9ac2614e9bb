import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a webhook POST is signed, as Stripe and GitHub do: `Simpul-Signature: v1=<hex>`,
 * the HMAC-SHA256 with the webhook's secret of `<Simpul-Timestamp>.<body>`. A receiver
 * recomputes it (a forged or altered body fails), refuses a timestamp older than a few
 * minutes (a recorded request replayed later fails), and remembers `Simpul-Event-Id`
 * (a delivery repeated within that time is recognised).
 */
export const SIGNATURE_HEADER = 'simpul-signature';
export const TIMESTAMP_HEADER = 'simpul-timestamp';
export const EVENT_ID_HEADER = 'simpul-event-id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

export type WebhookCheck = { ok: true } | { ok: false; reason: string };

export function verifyWebhook(
  secret: string,
  headers: { signature?: string | null; timestamp?: string | null },
  body: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): WebhookCheck {
  const timestamp = Number(headers.timestamp);
  if (!headers.timestamp || !Number.isInteger(timestamp)) return { ok: false, reason: 'no timestamp' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the tolerance (a replay?)' };
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}
