import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { AUTHORIZATION_HEADER } from '@simpul/contracts';
import { injectTraceContext } from '@simpul/telemetry';

/** Headers for an outgoing request: the caller's token and the active trace context. */
export function outgoingHeaders(token?: string): MsgHdrs {
  const h = natsHeaders();
  if (token) h.set(AUTHORIZATION_HEADER, `Bearer ${token}`);
  injectTraceContext(h);
  return h;
}

export type { MsgHdrs };
