export { initTelemetry, getTracer, context, propagation, trace, type Telemetry, type TelemetryOptions } from './setup.ts';
export { injectTraceContext, extractTraceContext, currentTraceparent, type HeaderCarrier } from './propagation.ts';
export { SpanKind, SpanStatusCode, type Span, type Context } from '@opentelemetry/api';
