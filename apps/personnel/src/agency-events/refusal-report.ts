import type { JsMsg } from '@nats-io/jetstream';
import { createEvent, writeOutboxEvent, type RawSql } from '@simpul/bus';
import { AgencyEventRefused, VERDICT_REPLY_HEADER, type AgencyEvent, type AgencyEventRefusalData, type Subjects } from '@simpul/contracts';

const EXCERPT_CHARS = 500;

/**
 * Tells the publisher that personnel refused its (valid, accepted) event by its rules:
 * an `agency-event.refused` event in personnel's outbox, in the transaction that records
 * the event as handled, so the report exists exactly when the refusal is final. The
 * registry records it with the gate's refusals (eventRejections, the console) and answers
 * the publisher's reply subject when it asked for a verdict.
 */
export async function reportRefusal(
  tx: RawSql,
  subjects: Subjects,
  event: AgencyEvent,
  msg: JsMsg,
  refusal: { code: AgencyEventRefusalData['code']; reason: string },
): Promise<void> {
  const data: AgencyEventRefusalData = {
    agencyCode: event.agencyCode,
    eventId: event.id,
    eventType: event.type,
    version: event.version,
    channel: event.channel ?? null,
    code: refusal.code,
    reason: refusal.reason.slice(0, 1_000),
    replyTo: msg.headers?.get(VERDICT_REPLY_HEADER) || null,
    excerpt: JSON.stringify(event.data ?? {}).slice(0, EXCERPT_CHARS),
  };
  await writeOutboxEvent(tx, createEvent(subjects, AgencyEventRefused.personnel, data));
}
