import { GraphQLError, OperationTypeNode, parse, type GraphQLResolveInfo } from 'graphql';
import { delegateToSchema, type SubschemaConfig } from '@graphql-tools/delegate';
import type { Executor } from '@graphql-tools/utils';
import {
  ApplicationDesignated,
  ApplicationRegistered,
  ApplicationUpdated,
  DispositionCreated,
  DispositionWithdrawn,
  DocumentMoved,
  DocumentSent,
  ErrorCode,
  eventType,
  type EventData,
  type ServiceName,
} from '@simpul/contracts';
import { hasRole, type Principal } from '@simpul/kit';
import type { GatewayContext } from '../auth.ts';
import type { LiveEvents } from './live-events.ts';

/** The gateway's own type definitions: what the services' events become for a subscriber. */
const documentsTypeDefs = /* GraphQL */ `
"What changed in the subscriber's inbox."
enum InboxChangeKind { RECEIVED DISPOSITION WITHDRAWN }

type InboxChange {
  "RECEIVED: a letter was addressed to you (or your unit, or your agency's mail room). DISPOSITION: one was dispositioned to you. WITHDRAWN: its sender took a disposition back."
  kind: InboxChangeKind!
  documentId: ID!
  "The disposition that arrived or was withdrawn; null for RECEIVED."
  dispositionId: ID
  "The letter as you may see it now (null when you no longer may)."
  document: Document
  "ISO 8601."
  at: String!
}
`;

const registryTypeDefs = /* GraphQL */ `
enum DuplicateAnalysisChange { REGISTERED UPDATED DESIGNATED }

"The catalogue changed, so the duplicate analysis did: ask for the clusters again."
type DuplicateAnalysisUpdate {
  change: DuplicateAnalysisChange!
  applicationId: ID!
  application: Application
  "The clusters as they are now (same as Query.duplicateClusters)."
  clusters(minScore: Float): [DuplicateCluster!]
}
`;

export interface LiveSchema {
  typeDefs: string;
  resolvers: Record<string, unknown>;
}

type Subschema = SubschemaConfig & { executor: Executor };

/**
 * The Subscription type, over the services that are stitched: a field exists only when
 * the service whose events and data it uses is there. Each event is checked with the
 * subscriber's own token by the service that owns the data (documents decides who sees
 * a letter), and the payload is read the same way, so a subscription never shows what
 * the same person could not query.
 */
export function liveSchema(subschemas: ReadonlyMap<ServiceName, Subschema>, live: LiveEvents): LiveSchema | undefined {
  // A service without what a field reads (a stand-in in tests, an older version) leaves the field out.
  const documents = offering(subschemas.get('documents'), ['document', 'inbox'], ['Document']);
  const registry = offering(subschemas.get('registry'), ['application', 'duplicateClusters'], ['Application', 'DuplicateCluster']);
  if (!documents && !registry) return undefined;
  const fields: string[] = [];
  let typeDefs = '';
  const subscription: Record<string, unknown> = {};
  const resolvers: Record<string, unknown> = { Subscription: subscription };

  if (documents) {
    typeDefs += documentsTypeDefs;
    fields.push(
      '"Your inbox changed: a letter addressed to you, a disposition to you, or one withdrawn. Reconnect with Last-Event-ID to miss nothing."',
      'inboxChanged: InboxChange!',
      '"The letter moved to another status (submitted, initialled, returned, signed, sent, archived). NOT_FOUND unless you may see it."',
      'documentChanged(id: ID!): Document!',
    );
    subscription['inboxChanged'] = {
      subscribe: (_: unknown, __: unknown, context: GatewayContext & { request: Request }) =>
        live.follow(context, 'documents', async (event, principal) => {
          switch (event.envelope.type) {
            case eventType(DocumentSent): {
              const data = event.envelope.data as EventData<typeof DocumentSent>;
              if (!data.recipients.some((r) => mayBeAddressedTo(r, principal))) return undefined;
              const items = await inboxItemsOf(documents, context, data.id);
              return items.some((i) => i.kind === 'RECEIVED') ? { kind: 'RECEIVED', documentId: data.id, dispositionId: null, at: data.sentAt } : undefined;
            }
            case eventType(DispositionCreated): {
              const data = event.envelope.data as EventData<typeof DispositionCreated>;
              if (data.toNip !== principal.username) return undefined;
              const items = await inboxItemsOf(documents, context, data.documentId);
              return items.some((i) => i.disposition?.id === data.id)
                ? { kind: 'DISPOSITION', documentId: data.documentId, dispositionId: data.id, at: data.at }
                : undefined;
            }
            case eventType(DispositionWithdrawn): {
              // Only ids the holder was already given: no read of the letter is needed to tell them.
              const data = event.envelope.data as EventData<typeof DispositionWithdrawn>;
              return data.toNip === principal.username ? { kind: 'WITHDRAWN', documentId: data.documentId, dispositionId: data.id, at: data.at } : undefined;
            }
            default:
              return undefined;
          }
        }),
      resolve: (payload: unknown) => payload,
    };
    resolvers['InboxChange'] = {
      document: {
        resolve: (change: { documentId: string }, _: unknown, context: GatewayContext, info: GraphQLResolveInfo) =>
          readDocument(documents, change.documentId, context, info),
      },
    };
    subscription['documentChanged'] = {
      subscribe: async (_: unknown, { id }: { id: string }, context: GatewayContext & { request: Request }, info: GraphQLResolveInfo) => {
        if (!(await mayReadDocument(documents, context, id)))
          throw new GraphQLError(`No document has the id "${id}"`, { extensions: { code: ErrorCode.NotFound } });
        return live.follow(context, 'documents', async (event) => {
          if (event.envelope.type !== eventType(DocumentMoved) || (event.envelope.data as EventData<typeof DocumentMoved>).id !== id) return undefined;
          // The read is the check: null when the subscriber may not (or no longer) see the letter.
          return (await readDocument(documents, id, context, info)) ?? undefined;
        });
      },
      resolve: (payload: unknown) => payload,
    };
  }

  if (registry) {
    typeDefs += registryTypeDefs;
    fields.push('"The catalogue changed and with it the duplicate analysis. NATIONAL_ADMIN only."', 'duplicateAnalysisUpdated: DuplicateAnalysisUpdate!');
    const changes = new Map([
      [eventType(ApplicationRegistered), 'REGISTERED'],
      [eventType(ApplicationUpdated), 'UPDATED'],
      [eventType(ApplicationDesignated), 'DESIGNATED'],
    ]);
    subscription['duplicateAnalysisUpdated'] = {
      subscribe: (_: unknown, __: unknown, context: GatewayContext & { request: Request }) => {
        requireNationalAdmin(context.principal);
        return live.follow(context, 'registry', async (event, principal) => {
          requireNationalAdmin(principal);
          const change = changes.get(event.envelope.type);
          return change ? { change, applicationId: (event.envelope.data as EventData<typeof ApplicationRegistered>).id } : undefined;
        });
      },
      resolve: (payload: unknown) => payload,
    };
    resolvers['DuplicateAnalysisUpdate'] = {
      application: {
        resolve: (update: { applicationId: string }, _: unknown, context: GatewayContext, info: GraphQLResolveInfo) =>
          delegateToSchema({
            schema: registry,
            operation: OperationTypeNode.QUERY,
            fieldName: 'application',
            args: { id: update.applicationId },
            context,
            info,
          }),
      },
      clusters: {
        resolve: (_: unknown, args: { minScore?: number | null }, context: GatewayContext, info: GraphQLResolveInfo) =>
          delegateToSchema({ schema: registry, operation: OperationTypeNode.QUERY, fieldName: 'duplicateClusters', args, context, info }),
      },
    };
  }

  return { typeDefs: `${typeDefs}\ntype Subscription {\n  ${fields.join('\n  ')}\n}\n`, resolvers };
}

function offering(subschema: Subschema | undefined, queryFields: string[], types: string[]): Subschema | undefined {
  if (!subschema) return undefined;
  const query = subschema.schema.getQueryType()?.getFields() ?? {};
  return queryFields.every((f) => query[f]) && types.every((t) => subschema.schema.getType(t)) ? subschema : undefined;
}

/**
 * Could this recipient row be the subscriber (them, a unit, their agency's mail room)?
 * A cheap filter only: documents' inbox decides (the gateway does not know anyone's unit).
 */
function mayBeAddressedTo(recipient: EventData<typeof DocumentSent>['recipients'][number], principal: Principal): boolean {
  if (recipient.kind === 'EMPLOYEE') return recipient.nip === principal.username;
  return recipient.agencyCode === principal.agencyCode;
}

function requireNationalAdmin(principal: Principal | null): void {
  if (!principal) throw new GraphQLError('Log in first', { extensions: { code: ErrorCode.Unauthenticated } });
  if (!hasRole(principal, 'NATIONAL_ADMIN')) throw new GraphQLError('This needs the role NATIONAL_ADMIN', { extensions: { code: ErrorCode.Forbidden } });
}

/** The letter with the subscriber's selection, read by documents with the subscriber's token. */
async function readDocument(documents: Subschema, id: string, context: GatewayContext, info: GraphQLResolveInfo): Promise<unknown> {
  const result: unknown = await delegateToSchema({
    schema: documents,
    operation: OperationTypeNode.QUERY,
    fieldName: 'document',
    args: { id },
    context,
    info,
    // The subscription field is `Document!`; the query answers null for what the caller may not see.
    returnType: info.schema.getType('Document') as never,
  });
  if (result instanceof Error) throw result;
  return result;
}

const documentQuery = parse('query LiveDocumentCheck($id: ID!) { document(id: $id) { id } }');
const inboxQuery = parse('query LiveInboxCheck($id: ID!) { inbox(documentId: $id, first: 100) { edges { node { kind disposition { id } } } } }');

async function mayReadDocument(documents: Subschema, context: GatewayContext, id: string): Promise<boolean> {
  const data = await ask<{ document: { id: string } | null }>(documents, documentQuery, { id }, context);
  return data.document !== null;
}

/** The subscriber's inbox items for one letter, as documents lists them. */
async function inboxItemsOf(documents: Subschema, context: GatewayContext, documentId: string) {
  type Items = { inbox: { edges: { node: { kind: string; disposition: { id: string } | null } }[] } | null };
  const data = await ask<Items>(documents, inboxQuery, { id: documentId }, context);
  return (data.inbox?.edges ?? []).map((e) => e.node);
}

async function ask<T>(service: Subschema, document: ReturnType<typeof parse>, variables: Record<string, unknown>, context: GatewayContext): Promise<T> {
  const result = (await service.executor({ document, variables, context })) as {
    data?: T;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  };
  const error = result.errors?.[0];
  if (error || !result.data) {
    throw new GraphQLError(error?.message ?? 'no answer', {
      extensions: { code: (error?.extensions?.['code'] as string | undefined) ?? ErrorCode.ServiceUnavailable },
    });
  }
  return result.data;
}
