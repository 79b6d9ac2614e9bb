import { afterAll, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '../src/testing.ts';
import { extractTraceContext, initTelemetry, injectTraceContext } from '../src/index.ts';

const exporter = new InMemorySpanExporter();
const telemetry = initTelemetry({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
afterAll(() => telemetry.shutdown());

/** A header map shaped like NATS MsgHdrs: get returns '' for a missing key. */
class Headers {
  private readonly values = new Map<string, string>();
  get(key: string) {
    return this.values.get(key) ?? '';
  }
  set(key: string, value: string) {
    this.values.set(key, value);
  }
}

describe('trace context through message headers', () => {
  it('continues the sender’s trace on the receiving side', () => {
    const headers = new Headers();
    const sender = telemetry.tracer.startSpan('send');
    context.with(trace.setSpan(context.active(), sender), () => injectTraceContext(headers));
    sender.end();
    expect(headers.get('traceparent')).toMatch(new RegExp(`^00-${sender.spanContext().traceId}-${sender.spanContext().spanId}-01$`));

    const receiver = telemetry.tracer.startSpan('receive', {}, extractTraceContext(headers));
    receiver.end();
    const [sent, received] = exporter.getFinishedSpans();
    expect(received!.spanContext().traceId).toBe(sent!.spanContext().traceId);
    expect(received!.parentSpanContext?.spanId).toBe(sent!.spanContext().spanId);
  });

  it('starts a new trace when the headers carry none', () => {
    const span = telemetry.tracer.startSpan('orphan', {}, extractTraceContext(new Headers()));
    span.end();
    expect(span.spanContext().traceId).not.toBe('00000000000000000000000000000000');
    expect(exporter.getFinishedSpans().at(-1)!.parentSpanContext).toBeUndefined();
  });
});
