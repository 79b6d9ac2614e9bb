import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { AUTHORIZATION_HEADER, CLIENT_ADDRESS_HEADER } from '@simpul/contracts';
import { injectTraceContext } from '@simpul/telemetry';

/** Headers for an outgoing request: the caller's token, their address and the active trace context. */
export function outgoingHeaders(token?: string, clientAddress?: string): MsgHdrs {
  const h = natsHeaders();
  if (token) h.set(AUTHORIZATION_HEADER, `Bearer ${token}`);
  if (clientAddress) h.set(CLIENT_ADDRESS_HEADER, clientAddress);
  injectTraceContext(h);
  return h;
}

export type { MsgHdrs };
