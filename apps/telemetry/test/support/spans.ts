import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

/**
 * Real spans made by the OpenTelemetry SDK (as an agency system's would be), encoded
 * by the SDK's own OTLP serializers: the receiver is tested against what exporters send.
 */
export async function makeTrace(
  service: string,
  options: { error?: boolean; slowMs?: number; attributes?: Record<string, string> } = {},
): Promise<{ traceId: string; spans: ReadableSpan[] }> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('test');
  const start = Date.now() - (options.slowMs ?? 0) - 10;
  const root = tracer.startSpan('GET /records', { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.method': 'GET', ...options.attributes } });
  const child = tracer.startSpan(
    'db query',
    { kind: SpanKind.CLIENT, startTime: start + 2, attributes: { 'db.system': 'postgresql' } },
    trace.setSpan(context.active(), root),
  );
  if (options.error) {
    child.recordException(new Error('connection refused'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'connection refused' });
  }
  child.end(start + 5);
  root.end(start + (options.slowMs ?? 0) + 8);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId, spans };
}

export function protobufBody(spans: ReadableSpan[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(spans)!;
}

export function jsonBody(spans: ReadableSpan[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(spans)!;
}

export async function postTraces(otlpUrl: string, body: Uint8Array | string, contentType: string): Promise<Response> {
  return fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });
}
