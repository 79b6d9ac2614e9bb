import { checkSpan, OtlpDecodeError, type Attribute, type ReceivedSpan, type ReceivedSpanEvent } from './received-span.ts';

/**
 * Decodes an OTLP ExportTraceServiceRequest in protobuf (what the OpenTelemetry SDKs and
 * the Collector send with `application/x-protobuf`). Only the fields the store keeps are
 * read; the rest are skipped by wire type, so newer fields do no harm. Hand-written on
 * the wire format (a few message types) rather than generated from .proto files.
 *
 * Field numbers (opentelemetry/proto/trace/v1/trace.proto, common/v1/common.proto):
 *   ExportTraceServiceRequest.resource_spans = 1
 *   ResourceSpans { resource = 1, scope_spans = 2 }   Resource { attributes = 1 }
 *   ScopeSpans { spans = 2 }
 *   Span { trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7 (fixed64),
 *          end 8 (fixed64), attributes 9, events 11, status 15 }
 *   Span.Event { time_unix_nano 1 (fixed64), name 2, attributes 3 }
 *   Status { message 2, code 3 }
 *   KeyValue { key 1, value 2 }   AnyValue { string 1, bool 2, int 3, double 4, array 5, kvlist 6, bytes 7 }
 */
export function decodeProtobufTraces(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const [field, resourceSpans] of messages(body)) {
    if (field !== 1) continue;
    let service = 'unknown';
    const scopeSpans: Uint8Array[] = [];
    for (const [f, value] of messages(resourceSpans)) {
      if (f === 1) {
        for (const [rf, kv] of messages(value)) {
          if (rf !== 1) continue;
          const attribute = keyValue(kv);
          if (attribute.key === 'service.name') service = attribute.value;
        }
      } else if (f === 2) scopeSpans.push(value);
    }
    for (const scope of scopeSpans) {
      for (const [f, span] of messages(scope)) if (f === 2) spans.push(checkSpan(decodeSpan(span, service)));
    }
  }
  return spans;
}

function decodeSpan(bytes: Uint8Array, service: string): ReceivedSpan {
  const span: ReceivedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    service,
    name: '',
    kind: 0,
    startNs: 0n,
    endNs: 0n,
    status: 0,
    statusMessage: null,
    attributes: [],
    events: [],
  };
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === 2) span.traceId = hex(reader.bytes());
    else if (field === 2 && wire === 2) span.spanId = hex(reader.bytes());
    else if (field === 4 && wire === 2) span.parentSpanId = hex(reader.bytes()) || null;
    else if (field === 5 && wire === 2) span.name = text(reader.bytes());
    else if (field === 6 && wire === 0) span.kind = Number(reader.varint());
    else if (field === 7 && wire === 1) span.startNs = reader.fixed64();
    else if (field === 8 && wire === 1) span.endNs = reader.fixed64();
    else if (field === 9 && wire === 2) span.attributes.push(keyValue(reader.bytes()));
    else if (field === 11 && wire === 2) span.events.push(decodeEvent(reader.bytes()));
    else if (field === 15 && wire === 2) {
      const status = new Reader(reader.bytes());
      while (!status.done()) {
        const [f, w] = status.tag();
        if (f === 2 && w === 2) span.statusMessage = text(status.bytes()) || null;
        else if (f === 3 && w === 0) span.status = Number(status.varint());
        else status.skip(w);
      }
    } else reader.skip(wire);
  }
  return span;
}

function decodeEvent(bytes: Uint8Array): ReceivedSpanEvent {
  const event: ReceivedSpanEvent = { name: '', timeUnixNano: '0', attributes: [] };
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === 1) event.timeUnixNano = reader.fixed64().toString();
    else if (field === 2 && wire === 2) event.name = text(reader.bytes());
    else if (field === 3 && wire === 2) event.attributes.push(keyValue(reader.bytes()));
    else reader.skip(wire);
  }
  return event;
}

function keyValue(bytes: Uint8Array): Attribute {
  let key = '';
  let value: unknown = '';
  for (const [field, content] of messages(bytes)) {
    if (field === 1) key = text(content);
    else if (field === 2) value = anyValue(content);
  }
  return { key, value: typeof value === 'string' ? value : JSON.stringify(value) };
}

function anyValue(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  let value: unknown = '';
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (field === 1 && wire === 2) value = text(reader.bytes());
    else if (field === 2 && wire === 0) value = reader.varint() !== 0n;
    else if (field === 3 && wire === 0) value = BigInt.asIntN(64, reader.varint()).toString();
    else if (field === 4 && wire === 1) value = reader.double();
    else if (field === 5 && wire === 2) value = [...messages(reader.bytes())].filter(([f]) => f === 1).map(([, v]) => anyValue(v));
    else if (field === 6 && wire === 2) {
      value = Object.fromEntries(
        [...messages(reader.bytes())]
          .filter(([f]) => f === 1)
          .map(([, kv]) => {
            const a = keyValue(kv);
            return [a.key, a.value];
          }),
      );
    } else if (field === 7 && wire === 2) value = Buffer.from(reader.bytes()).toString('base64');
    else reader.skip(wire);
  }
  return value;
}

/** The length-delimited fields of a message, as [field number, content]; other wire types skipped. */
function* messages(bytes: Uint8Array): Generator<[number, Uint8Array]> {
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const [field, wire] = reader.tag();
    if (wire === 2) yield [field, reader.bytes()];
    else reader.skip(wire);
  }
}

class Reader {
  private pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  tag(): [number, number] {
    const tag = Number(this.varint());
    return [tag >>> 3, tag & 7];
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new OtlpDecodeError('Truncated protobuf (varint)');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
      if (shift > 70n) throw new OtlpDecodeError('Malformed protobuf varint');
    }
  }
  fixed64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }
  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }
  bytes(): Uint8Array {
    const length = Number(this.varint());
    this.need(length);
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.advance(4);
    else throw new OtlpDecodeError(`Unsupported protobuf wire type ${wire}`);
  }
  private advance(n: number): void {
    this.need(n);
    this.pos += n;
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new OtlpDecodeError('Truncated protobuf');
  }
}

const decoder = new TextDecoder();
function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
