import type { ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { NatsConnection } from '@simpul/bus';
import { ErrorCode, type StagedUpload, type Subjects } from '@simpul/contracts';
import { bearerToken, type Logger, type TokenVerifier } from '@simpul/kit';
import type { GatewayContext } from '../auth.ts';
import { uploadPositionProblem } from './upload-positions.ts';
import { UploadQuota, type UploadQuotaLimits } from './upload-quota.ts';
import { requestError, UploadStaging, type UploadedFile } from './upload-staging.ts';

export interface StagedUploadsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verifier: TokenVerifier;
  /** Largest file accepted here; the owning service applies its own (usually equal) limit. */
  maxBytes: number;
  /** What one user may have staged at once. */
  quota: UploadQuotaLimits;
  logger: Logger;
}

/**
 * GraphQL multipart requests (the graphql-multipart-request-spec; yoga parses them into
 * File objects in `variables`). NATS cannot carry the bytes (1 MB messages), so each
 * file is streamed into the JetStream object store's staging bucket and replaced in
 * `variables` by a StagedUpload reference naming the object and who uploaded it.
 *
 * Nothing is stored for a request that would not use it:
 *  - before parsing, a request with files needs a login, and no file may be over the limit;
 *  - files are stored only when the operation has parsed and validated, and each file
 *    sits where the operation takes an `Upload`;
 *  - each user has a quota of files and bytes staged at once;
 *  - when the operation ends, whatever the service did not claim (it deletes what it
 *    takes) is deleted, so a failed or unrelated operation leaves nothing behind.
 *
 * Staging wraps the execution, so this plugin must come after any plugin that replaces
 * how operations execute (such as the single-service route): its wrapper then sees the
 * operation whichever way it is executed.
 */
export function useStagedUploads(options: StagedUploadsOptions): Plugin {
  const staging = new UploadStaging(options.nc, options.subjects, new UploadQuota(options.quota), options.logger);

  return {
    async onParams({ params, request }) {
      const files = findFiles(params.variables);
      if (files.length === 0) return;
      await requireUploader(request, options.verifier);
      for (const { file, path } of files) {
        if (file.size > options.maxBytes) {
          throw requestError(`${path.join('.')}: the file is larger than ${options.maxBytes} bytes`, ErrorCode.BadUserInput, 413);
        }
      }
    },
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args: ExecutionArgs) => {
        const files = findFiles(args.variableValues ?? {}, []);
        if (files.length === 0) return executeFn(args);
        for (const { path } of files) {
          const problem = uploadPositionProblem(args.schema, args.document, args.operationName, path);
          if (problem) {
            throw requestError(
              `variables.${path.join('.')}: ${problem}; a file may only be sent where the operation takes an Upload`,
              ErrorCode.BadUserInput,
              400,
            );
          }
        }
        const user = (args.contextValue as GatewayContext).principal?.username;
        if (!user) throw requestError('Log in to upload files', ErrorCode.Unauthenticated, 401);
        const batch = await staging.stage(
          user,
          files.map((f) => f.file),
        );
        try {
          return await executeFn({ ...args, variableValues: replaceFiles(args.variableValues, batch.references) as Record<string, unknown> });
        } finally {
          await batch.release();
        }
      });
    },
  };
}

function isFile(value: unknown): value is UploadedFile {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as UploadedFile).stream === 'function' &&
    typeof (value as UploadedFile).size === 'number' &&
    typeof (value as UploadedFile).name === 'string'
  );
}

function findFiles(value: unknown, path: string[] = ['variables']): { file: UploadedFile; path: string[] }[] {
  if (isFile(value)) return [{ file: value, path }];
  if (Array.isArray(value)) return value.flatMap((item, i) => findFiles(item, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => findFiles(v, [...path, k]));
  return [];
}

function replaceFiles(value: unknown, references: Map<UploadedFile, StagedUpload>): unknown {
  if (isFile(value)) return references.get(value);
  if (Array.isArray(value)) return value.map((item) => replaceFiles(item, references));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceFiles(v, references)]));
  return value;
}

async function requireUploader(request: Request, verifier: TokenVerifier): Promise<void> {
  const token = bearerToken(request.headers.get('authorization') ?? '');
  if (!token) throw requestError('Log in to upload files', ErrorCode.Unauthenticated, 401);
  try {
    await verifier.verify(token);
  } catch (error) {
    throw requestError((error as Error).message, ErrorCode.Unauthenticated, 401);
  }
}
