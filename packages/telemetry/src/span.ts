import { SpanStatusCode, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';

/**
 * Runs `fn` inside a new active span, records an exception and error status when it
 * throws, and always ends the span.
 */
export async function withSpan<T>(
  tracerName: string,
  name: string,
  options: SpanOptions & { parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  const { parent, ...spanOptions } = options;
  const run = async (span: Span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };
  return parent === undefined
    ? tracer.startActiveSpan(name, spanOptions, run)
    : tracer.startActiveSpan(name, spanOptions, parent, run);
}
