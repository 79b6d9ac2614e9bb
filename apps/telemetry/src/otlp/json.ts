import { checkSpan, OtlpDecodeError, type Attribute, type ReceivedSpan } from './received-span.ts';

/**
 * Decodes an OTLP ExportTraceServiceRequest in JSON (OTLP/HTTP with `application/json`):
 * ids in hex, 64-bit numbers as strings or numbers, enums as numbers, attribute values
 * as AnyValue objects ({ stringValue }, { intValue }, ...).
 */
export function decodeJsonTraces(body: unknown): ReceivedSpan[] {
  if (!isObject(body) || !Array.isArray(body.resourceSpans)) throw new OtlpDecodeError('Expected an object with resourceSpans');
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans) {
    if (!isObject(resourceSpans)) continue;
    const resource = isObject(resourceSpans.resource) ? resourceSpans.resource : {};
    const service = attributes(resource.attributes).find((a) => a.key === 'service.name')?.value ?? 'unknown';
    for (const scope of asArray(resourceSpans.scopeSpans)) {
      if (!isObject(scope)) continue;
      for (const span of asArray(scope.spans)) {
        if (!isObject(span)) throw new OtlpDecodeError('A span must be an object');
        const status = isObject(span.status) ? span.status : {};
        spans.push(
          checkSpan({
            traceId: String(span.traceId ?? '').toLowerCase(),
            spanId: String(span.spanId ?? '').toLowerCase(),
            parentSpanId: span.parentSpanId ? String(span.parentSpanId).toLowerCase() : null,
            service,
            name: String(span.name ?? ''),
            kind: enumNumber(span.kind, SPAN_KINDS),
            startNs: nanos(span.startTimeUnixNano),
            endNs: nanos(span.endTimeUnixNano),
            status: enumNumber(status.code, STATUS_CODES),
            statusMessage: typeof status.message === 'string' && status.message ? status.message : null,
            attributes: attributes(span.attributes),
            events: asArray(span.events)
              .filter(isObject)
              .map((e) => ({
                name: String(e.name ?? ''),
                timeUnixNano: nanos(e.timeUnixNano).toString(),
                attributes: attributes(e.attributes),
              })),
          }),
        );
      }
    }
  }
  return spans;
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function enumNumber(value: unknown, names: string[]): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return names.indexOf(value) >= 0 ? names.indexOf(value) : Number(value) || 0;
  return 0;
}

function nanos(value: unknown): bigint {
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  if (value === undefined || value === null) return 0n;
  throw new OtlpDecodeError(`Invalid time "${String(value)}"`);
}

function attributes(list: unknown): Attribute[] {
  return asArray(list)
    .filter(isObject)
    .map((kv) => {
      const value = anyValue(kv.value);
      return { key: String(kv.key ?? ''), value: typeof value === 'string' ? value : JSON.stringify(value) };
    });
}

function anyValue(value: unknown): unknown {
  if (!isObject(value)) return '';
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value) return String(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return String(value.bytesValue);
  if (isObject(value.arrayValue)) return asArray(value.arrayValue.values).map(anyValue);
  if (isObject(value.kvlistValue)) return Object.fromEntries(attributes(value.kvlistValue.values).map((a) => [a.key, a.value]));
  return '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
