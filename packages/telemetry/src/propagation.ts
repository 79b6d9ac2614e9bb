import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

/**
 * The part of a message-header object we need. NATS `MsgHdrs` fits it, so does a Map;
 * keeping it this small means telemetry does not depend on the NATS client.
 */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  has?(key: string): boolean;
}

const setter: TextMapSetter<HeaderCarrier> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<HeaderCarrier | undefined> = {
  get: (carrier, key) => {
    if (!carrier) return undefined;
    const value = carrier.get(key);
    return value === '' ? undefined : value;
  },
  keys: () => ['traceparent', 'tracestate'],
};

/** Writes the active trace context (`traceparent`, `tracestate`) into message headers. */
export function injectTraceContext(headers: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, setter);
}

/** Reads a trace context from message headers; the result is the parent for new spans. */
export function extractTraceContext(headers: HeaderCarrier | undefined, ctx: Context = context.active()): Context {
  return propagation.extract(ctx, headers, getter);
}

/** The current `traceparent` as a string, for events stored in an outbox before they are sent. */
export function currentTraceparent(): string | undefined {
  const carrier = new Map<string, string>();
  propagation.inject(context.active(), carrier, {
    set: (c, k, v) => c.set(k, v),
  });
  return carrier.get('traceparent');
}
