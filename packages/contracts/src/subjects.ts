import type { ServiceName } from './services.ts';
import { subjectToken } from './subject-token.ts';

/**
 * Every NATS subject the platform uses, written once. The namespace is `simpul` in
 * production; tests give each run its own namespace so that parallel test files never
 * answer each other's requests on a shared nats-server.
 */
export const DEFAULT_NAMESPACE = 'simpul';

export interface Subjects {
  readonly namespace: string;
  /** GraphQL requests for one service, answered in a queue group. */
  graphql(service: ServiceName): string;
  /** The service's SDL text, read by the gateway at start-up. */
  sdl(service: ServiceName): string;
  /** Liveness and readiness of one service (what the gateway's /ready asks). */
  health(service: ServiceName): string;
  /**
   * One running instance of a service, answered by that instance alone. A request on it
   * that gets "no responders" means the instance has left NATS (its process died or
   * stopped): the gateway then knows that a query the instance had taken will get no answer.
   */
  instance(service: ServiceName, instanceId: string): string;
  /** Identity's public signing keys as a JWKS document. */
  readonly jwks: string;
  /** An event: `<ns>.evt.<service>.<entity>.<verb>`. */
  event(service: ServiceName, entity: string, verb: string): string;
  /** Everything on the event stream. */
  readonly allEvents: string;
  /** Events an agency's own system publishes: `<ns>.ext.<agencyCode>.>` */
  external(agencyCode: string): string;
  /** Everything agency systems publish. */
  readonly allExternal: string;
  /** JetStream stream that keeps what agency systems publish. */
  readonly externalStream: string;
  /**
   * The inbox prefix an agency system must use (nats.js `inboxPrefix`): its replies,
   * e.g. JetStream publish acknowledgements, arrive only there.
   */
  externalInboxPrefix(agencyCode: string): string;
  /** JetStream stream that stores platform events. */
  readonly eventStream: string;
  /** Where a consumer puts an event it gave up on: `<ns>.dlq.<consumer>`. */
  deadLetter(consumer: string): string;
  /** Every dead letter. */
  readonly allDeadLetters: string;
  /** JetStream stream that keeps dead letters until an operator replays or discards them. */
  readonly deadLetterStream: string;
}

export function subjectsFor(namespace: string = DEFAULT_NAMESPACE): Subjects {
  const ns = subjectToken(namespace, 'NATS namespace');
  return {
    namespace: ns,
    graphql: (service) => `${ns}.${service}.graphql`,
    sdl: (service) => `${ns}.${service}.sdl`,
    health: (service) => `${ns}.${service}.health`,
    instance: (service, instanceId) => `${ns}.${service}.instance.${subjectToken(instanceId, 'instance id')}`,
    jwks: `${ns}.identity.jwks`,
    event: (service, entity, verb) => `${ns}.evt.${service}.${entity}.${verb}`,
    allEvents: `${ns}.evt.>`,
    external: (agencyCode) => `${ns}.ext.${subjectToken(agencyCode, 'agency code')}.>`,
    allExternal: `${ns}.ext.>`,
    externalStream: `${ns.toUpperCase().replace(/-/g, '_')}_EXTERNAL`,
    externalInboxPrefix: (agencyCode) => `_INBOX.${ns}.ext.${subjectToken(agencyCode, 'agency code')}`,
    eventStream: `${ns.toUpperCase().replace(/-/g, '_')}_EVENTS`,
    deadLetter: (consumer) => `${ns}.dlq.${consumer}`,
    allDeadLetters: `${ns}.dlq.>`,
    deadLetterStream: `${ns.toUpperCase().replace(/-/g, '_')}_DEAD_LETTERS`,
  };
}
