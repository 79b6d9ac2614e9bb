import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode, type Role } from '@simpul/contracts';
import { hasRole, type TokenVerifier } from '@simpul/kit';
import { authenticate } from '../auth.ts';
import { rootFields } from '../root-fields.ts';
import { documentHash, type TrustedDocuments } from './manifest.ts';

export interface TrustedDocumentOptions {
  /** The allow-list; undefined in development, where any operation text is run. */
  documents: TrustedDocuments | undefined;
  /** Callers with any of these roles may still send any text (GraphiQL, scripts, agency systems). */
  freeFormRoles: readonly Role[];
  verifier: TokenVerifier;
  /** Token limit for the one document parsed here (an anonymous caller's text). */
  maxTokens: number;
}

/**
 * Trusted documents (persisted operations). A request names a document by its hash,
 * either way the client preset's runtimes send it:
 * - `documentId: "sha256:<hex>"` (GraphQL over HTTP, persisted documents appendix), or
 * - `extensions.persistedQuery.sha256Hash` (`version: 1`, as Apollo's and urql's links send it);
 * and the gateway runs the manifest's text for it, whatever other text came along.
 *
 * With a manifest loaded (production), text is accepted only from callers whose role
 * is in `freeFormRoles`, and, from anyone, text whose root fields are all `login`: the
 * operators' console and GraphiQL must be able to log an operator in before they hold
 * a token with that role. Without a manifest (development) any text runs.
 *
 * Checked before the document is parsed or validated, so that a refused caller learns
 * nothing of the schema from validation errors.
 */
export function useTrustedDocuments(options: TrustedDocumentOptions): Plugin {
  const { documents } = options;
  return {
    async onParams({ params, request, setParams }) {
      const { documentId, ...rest } = params as typeof params & { documentId?: unknown };
      const id = documentId ?? persistedQueryHash(params.extensions);
      // In development a front-end built for trusted documents still sends its text
      // beside the hash (the example app does): the text runs, as any text would.
      if (id !== undefined && !documents && typeof params.query === 'string') return;
      if (id !== undefined) {
        const hash = typeof id === 'string' ? documentHash(id) : undefined;
        const query = hash ? documents?.get(hash) : undefined;
        if (query === undefined) throw notFound(id, documents !== undefined);
        setParams({ ...rest, query });
        return;
      }
      if (!documents || typeof params.query !== 'string') return;
      const { principal } = await authenticate(request, options.verifier);
      if (hasRole(principal, ...options.freeFormRoles)) return;
      if (onlyLogin(params.query, params.operationName ?? undefined, options.maxTokens)) return;
      throw requestError(
        ErrorCode.PersistedQueryOnly,
        'This gateway runs only trusted documents: send the persisted document\'s id ("documentId": "sha256:<hash>") instead of query text',
      );
    },
  };
}

function persistedQueryHash(extensions: Record<string, unknown> | undefined): unknown {
  const persisted = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  return persisted?.version === 1 ? persisted.sha256Hash : undefined;
}

function onlyLogin(query: string, operationName: string | undefined, maxTokens: number): boolean {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens, noLocation: true });
  } catch {
    return false;
  }
  const fields = rootFields(document, operationName);
  return fields.length > 0 && fields.every((f) => f.name.value === 'login' || f.name.value === '__typename');
}

function notFound(id: unknown, haveManifest: boolean): GraphQLError {
  const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 80)) : 'the id sent';
  return requestError(
    ErrorCode.PersistedQueryNotFound,
    haveManifest
      ? `No trusted document has the id ${shown}: this front-end's build is not the one the gateway trusts (deploy its persisted-documents.json to TRUSTED_DOCUMENTS)`
      : `No trusted document has the id ${shown}: this gateway has no TRUSTED_DOCUMENTS manifest (send query text)`,
  );
}

/** A request error: 400 for GraphQL-over-HTTP responses, 200 for plain application/json ones (yoga's `spec`). */
function requestError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { spec: true, status: 400 } } });
}
