import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TelemetryOptions {
  serviceName: string;
  /** OTLP/HTTP base URL of another backend (OTEL_EXPORTER_OTLP_ENDPOINT: Jaeger, Tempo, a Collector); spans also go there when set. */
  otlpEndpoint?: string | undefined;
  /**
   * OTLP/HTTP base URL of Simpul's own telemetry service (SIMPUL_TELEMETRY_URL), where every
   * process sends its spans by default; undefined sends nowhere. Export is batched in the
   * background and drops spans when its queue is full: a request never waits for it.
   */
  telemetryServiceEndpoint?: string | undefined;
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  tracer: Tracer;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

let active: { provider: NodeTracerProvider; serviceName: string } | undefined;

/**
 * Sets up tracing for this process once: W3C trace context, async context tracking,
 * OTLP export when configured, and Prisma's instrumentation so database queries join
 * the trace of the request that caused them. Call it before anything else starts.
 */
export function initTelemetry(options: TelemetryOptions): Telemetry {
  if (active) {
    // Several services may share a process in tests; the first set-up wins.
    return { tracer: trace.getTracer(options.serviceName), shutdown: async () => {} };
  }
  const processors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  for (const endpoint of new Set([options.telemetryServiceEndpoint, options.otlpEndpoint])) {
    if (!endpoint) continue;
    const exporter: SpanExporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
    processors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 }));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: processors,
  });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  registerInstrumentations({ instrumentations: [new PrismaInstrumentation()] });
  active = { provider, serviceName: options.serviceName };
  const state = active;
  return {
    tracer: trace.getTracer(options.serviceName),
    async shutdown() {
      await state.provider.shutdown();
      if (active === state) active = undefined;
    },
  };
}

/** The tracer to use for spans in a module; works (as a no-op) before set-up too. */
export function getTracer(name: string): Tracer {
  return trace.getTracer(name);
}

export { context, propagation, trace };
