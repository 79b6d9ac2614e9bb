import { jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { headers as natsHeaders } from '@nats-io/nats-core';
import type { Subjects } from '@simpul/contracts';

const NANOS_PER_MS = 1_000_000;

/** Headers a dead letter carries besides the original event bytes. */
export const DEAD_LETTER_HEADERS = {
  reason: 'Simpul-Dead-Reason',
  subject: 'Simpul-Dead-Subject',
  consumer: 'Simpul-Dead-Consumer',
  deliveries: 'Simpul-Dead-Deliveries',
  streamSeq: 'Simpul-Dead-Stream-Seq',
  failedAt: 'Simpul-Dead-At',
} as const;

/** One event a consumer gave up on, as an operator sees it. */
export interface DeadLetter {
  /** Sequence in the dead-letter stream: what `replayDeadLetter` and `discardDeadLetter` take. */
  seq: number;
  consumer: string;
  /** The event's original subject, where a replay publishes it again. */
  subject: string;
  reason: string;
  deliveries: number;
  /** Sequence of the original message in the event stream. */
  streamSeq: number;
  failedAt: string;
  /** The event id and type when the payload could be read; null for a malformed one. */
  eventId: string | null;
  type: string | null;
  /** The original payload as text (never parsed for a malformed event). */
  payload: string;
  /** The trace the event was written in (from its traceparent), so the console can open it; null when unknown. */
  traceId: string | null;
}

/** Creates (or updates) the stream that keeps dead letters (no expiry: an operator decides). */
export async function ensureDeadLetterStream(nc: NatsConnection, subjects: Subjects): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const config = {
    name: subjects.deadLetterStream,
    subjects: [subjects.allDeadLetters],
    duplicate_window: 2 * 60 * 1000 * NANOS_PER_MS,
  };
  try {
    await jsm.streams.info(config.name);
  } catch {
    await jsm.streams.add(config);
  }
}

/**
 * Puts a message a consumer gives up on into the dead-letter stream, with why and
 * where it came from. The message id makes a repeated attempt (after a failure to
 * terminate the original) a no-op.
 */
export async function publishDeadLetter(js: JetStreamClient, subjects: Subjects, consumer: string, msg: JsMsg, reason: string): Promise<void> {
  const h = natsHeaders();
  h.set(DEAD_LETTER_HEADERS.reason, oneLine(reason).slice(0, 1_000));
  h.set(DEAD_LETTER_HEADERS.subject, msg.subject);
  h.set(DEAD_LETTER_HEADERS.consumer, consumer);
  h.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
  h.set(DEAD_LETTER_HEADERS.streamSeq, String(msg.seq));
  h.set(DEAD_LETTER_HEADERS.failedAt, new Date().toISOString());
  const traceparent = msg.headers?.get('traceparent');
  if (traceparent) h.set('traceparent', traceparent);
  await js.publish(subjects.deadLetter(consumer), msg.data, { msgID: `${consumer}:${msg.info.stream}:${msg.seq}`, headers: h });
}

/**
 * Whether the server honours a TERM that carries a reason. nats-server before 2.10
 * does not know `+TERM <reason>` and ignores it, so the message stays unacknowledged
 * and comes back every ack wait: there a dead-lettered message must be terminated
 * without a reason (the reason is kept in the dead letter's headers anyway). The
 * version is the one the connection's current server announced.
 */
export function serverTakesTermReason(nc: NatsConnection): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(nc.info?.version ?? '');
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 2 || (major === 2 && minor >= 10);
}

/** Terminates a message the consumer gave up on, with the reason where the server takes one. */
export function terminate(nc: NatsConnection, msg: JsMsg, reason: string): void {
  if (serverTakesTermReason(nc)) msg.term(oneLine(reason).slice(0, 200));
  else msg.term();
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

async function deadLetterStreamState(nc: NatsConnection, subjects: Subjects) {
  const jsm = await jetstreamManager(nc);
  try {
    return { jsm, state: (await jsm.streams.info(subjects.deadLetterStream)).state };
  } catch {
    return { jsm, state: null };
  }
}

/** Reads one dead letter; null when there is none with this sequence. */
export async function getDeadLetter(nc: NatsConnection, subjects: Subjects, seq: number): Promise<DeadLetter | null> {
  const jsm = await jetstreamManager(nc);
  const msg = await jsm.streams.getMessage(subjects.deadLetterStream, { seq }).catch(() => null);
  if (!msg) return null;
  const h = msg.header;
  const payload = new TextDecoder().decode(msg.data);
  let eventId: string | null = null;
  let type: string | null = null;
  try {
    const parsed = JSON.parse(payload) as { id?: unknown; type?: unknown };
    eventId = typeof parsed.id === 'string' ? parsed.id : null;
    type = typeof parsed.type === 'string' ? parsed.type : null;
  } catch {
    /* malformed: shown as text */
  }
  return {
    seq: msg.seq,
    consumer: h.get(DEAD_LETTER_HEADERS.consumer),
    subject: h.get(DEAD_LETTER_HEADERS.subject),
    reason: h.get(DEAD_LETTER_HEADERS.reason),
    deliveries: Number(h.get(DEAD_LETTER_HEADERS.deliveries)) || 0,
    streamSeq: Number(h.get(DEAD_LETTER_HEADERS.streamSeq)) || 0,
    failedAt: h.get(DEAD_LETTER_HEADERS.failedAt),
    eventId,
    type,
    payload,
    traceId: /^00-([0-9a-f]{32})-/.exec(h.get('traceparent') ?? '')?.[1] ?? null,
  };
}

/** Dead letters in the order they arrived, optionally of one consumer only. */
export async function listDeadLetters(nc: NatsConnection, subjects: Subjects, options: { consumer?: string; limit?: number } = {}): Promise<DeadLetter[]> {
  const { state } = await deadLetterStreamState(nc, subjects);
  if (!state || state.messages === 0) return [];
  const limit = options.limit ?? 100;
  const out: DeadLetter[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && out.length < limit; seq++) {
    const letter = await getDeadLetter(nc, subjects, seq);
    if (letter && (!options.consumer || letter.consumer === options.consumer)) out.push(letter);
  }
  return out;
}

/**
 * Publishes a dead letter's event again on its original subject (after the cause was
 * fixed) and removes it from the dead-letter stream. The event keeps its id, so
 * consumers that had already handled it skip it; a second replay of the same dead
 * letter is dropped by the stream's duplicate window.
 */
export async function replayDeadLetter(nc: NatsConnection, subjects: Subjects, seq: number): Promise<DeadLetter> {
  const letter = await getDeadLetter(nc, subjects, seq);
  if (!letter) throw new Error(`No dead letter has the sequence ${seq}`);
  const jsm = await jetstreamManager(nc);
  const original = await jsm.streams.getMessage(subjects.deadLetterStream, { seq });
  if (!original) throw new Error(`No dead letter has the sequence ${seq}`);
  const h = natsHeaders();
  const traceparent = original.header.get('traceparent');
  if (traceparent) h.set('traceparent', traceparent);
  await jetstream(nc).publish(letter.subject, original.data, {
    msgID: `${letter.eventId ?? letter.consumer}:replay:${subjects.deadLetterStream}:${seq}`,
    headers: h,
  });
  await jsm.streams.deleteMessage(subjects.deadLetterStream, seq, false);
  return letter;
}

/** Removes a dead letter without replaying it (an operator decided it is not wanted). */
export async function discardDeadLetter(nc: NatsConnection, subjects: Subjects, seq: number): Promise<boolean> {
  const jsm = await jetstreamManager(nc);
  return jsm.streams.deleteMessage(subjects.deadLetterStream, seq, false).catch(() => false);
}
