/** An attribute as the store keeps it: the value as text (arrays and maps as JSON). */
export interface Attribute {
  key: string;
  value: string;
}

export interface ReceivedSpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attribute[];
}

/** One span out of an OTLP export, whichever encoding it came in. */
export interface ReceivedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId: string | null;
  /** The resource's service.name ("unknown" when missing). */
  service: string;
  name: string;
  /** OTLP SpanKind 0-5. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  /** OTLP status code 0 unset, 1 ok, 2 error. */
  status: number;
  statusMessage: string | null;
  attributes: Attribute[];
  events: ReceivedSpanEvent[];
}

/** Thrown for a body that is not an OTLP trace export: the receiver answers 400. */
export class OtlpDecodeError extends Error {}

const HEX_TRACE = /^[0-9a-f]{32}$/;
const HEX_SPAN = /^[0-9a-f]{16}$/;

/** Checks ids (all-zero ids are invalid in OTLP) and normalises what both decoders produce. */
export function checkSpan(span: ReceivedSpan): ReceivedSpan {
  if (!HEX_TRACE.test(span.traceId) || /^0+$/.test(span.traceId)) throw new OtlpDecodeError(`Invalid traceId "${span.traceId}"`);
  if (!HEX_SPAN.test(span.spanId) || /^0+$/.test(span.spanId)) throw new OtlpDecodeError(`Invalid spanId "${span.spanId}"`);
  const parent = span.parentSpanId && HEX_SPAN.test(span.parentSpanId) && !/^0+$/.test(span.parentSpanId) ? span.parentSpanId : null;
  const kind = span.kind >= 0 && span.kind <= 5 ? span.kind : 0;
  const status = span.status >= 0 && span.status <= 2 ? span.status : 0;
  const endNs = span.endNs < span.startNs ? span.startNs : span.endNs;
  return { ...span, parentSpanId: parent, kind, status, endNs, name: span.name || '(unnamed)' };
}
