import { randomBytes } from 'node:crypto';
import { badUserInput, forbidden, hasRole, notFound, requirePrincipal, type Principal } from '@simpul/kit';
import { apiClientId } from '../../event-catalogue/event-names.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';
import type { EventWebhook, WebhookDeadLetter, WebhookStore } from './webhook-store.ts';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface WebhookHealth {
  webhook: EventWebhook;
  deadLetters: number;
  /** Events copied for the client that the webhook has not delivered yet (waiting or being retried); null when unknown. */
  pending: number | null;
}

/**
 * A client's webhook: the client itself sets it (its own token; the secret is shown
 * once) or a NATIONAL_ADMIN for it; AUDITOR and OPERATOR read its health. The URL must be HTTPS
 * (plain HTTP only to this machine, for development).
 */
export class WebhookManager {
  constructor(
    private readonly store: WebhookStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly pending: (clientId: string) => Promise<number | null> = async () => null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async set(principal: Principal | null, clientId: string, url: string): Promise<{ webhook: EventWebhook; secret: string }> {
    const caller = requirePrincipal(principal);
    const id = this.requireClientOrNational(caller, clientId);
    const target = webhookUrl(url);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const webhook = await this.store.set(id, target, secret, caller.username);
    this.dispatcher.forget(id);
    await this.dispatcher.start(id);
    return { webhook, secret };
  }

  async remove(principal: Principal | null, clientId: string): Promise<boolean> {
    const id = this.requireClientOrNational(requirePrincipal(principal), clientId);
    await this.dispatcher.remove(id);
    return this.store.remove(id);
  }

  async health(principal: Principal | null, clientId: string): Promise<WebhookHealth | null> {
    const id = this.requireReader(principal, clientId);
    const webhook = await this.store.find(id);
    return webhook ? { webhook, deadLetters: await this.store.countDeadLetters(id), pending: await this.pending(id) } : null;
  }

  async deadLetters(principal: Principal | null, clientId: string, includeReplayed: boolean): Promise<WebhookDeadLetter[]> {
    return this.store.deadLetters(this.requireReader(principal, clientId), includeReplayed);
  }

  /** Sends the parked events again, in order; returns those that still failed. */
  async replay(principal: Principal | null, clientId: string): Promise<WebhookDeadLetter[]> {
    const id = this.requireClientOrNational(requirePrincipal(principal), clientId);
    const webhook = await this.store.find(id);
    if (!webhook) throw notFound(`The client ${id} has no webhook`);
    const failed: WebhookDeadLetter[] = [];
    for (const letter of await this.store.deadLetters(id, false)) {
      const outcome = await this.dispatcher.post(webhook, letter.eventId, letter.payload);
      if (outcome.ok) {
        await this.store.replayed(letter.id, this.now());
        await this.store.succeeded(id, this.now());
      } else {
        await this.store.replayFailed(letter.id, outcome.error);
        failed.push({ ...letter, lastError: outcome.error, attempts: letter.attempts + 1 });
      }
    }
    return failed;
  }

  private requireClientOrNational(caller: Principal, clientId: string): string {
    const id = apiClientId(clientId);
    if (caller.kind === 'client' && caller.username === id) return id;
    if (hasRole(caller, 'NATIONAL_ADMIN')) return id;
    throw forbidden('A webhook is set by the API client itself (its own token) or a NATIONAL_ADMIN');
  }

  private requireReader(principal: Principal | null, clientId: string): string {
    const caller = requirePrincipal(principal);
    if (hasRole(caller, 'AUDITOR', 'OPERATOR')) return apiClientId(clientId);
    return this.requireClientOrNational(caller, clientId);
  }
}

function webhookUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badUserInput(`url: "${value}" is not a URL`, { field: 'url' });
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure) throw badUserInput('url: must be https:// (http:// only to 127.0.0.1 or localhost, for development)', { field: 'url' });
  if (url.username || url.password) throw badUserInput('url: must not carry credentials; the signature authenticates the platform', { field: 'url' });
  return url.toString();
}
