import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@simpul/bus';
import { ErrorCode, STAGED_UPLOAD_BUCKET_MAX_BYTES, STAGED_UPLOAD_TTL_MS, stagedUploadBucket, type StagedUpload, type Subjects } from '@simpul/contracts';
import { bearerToken, type Logger, type TokenVerifier } from '@simpul/kit';

const NANOS_PER_MS = 1_000_000;

/** What yoga's multipart parser leaves in `variables` for each file part. */
interface UploadedFile {
  name: string;
  type: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

export interface StagedUploadsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verifier: TokenVerifier;
  /** Largest file accepted here; the owning service applies its own (usually equal) limit. */
  maxBytes: number;
  logger: Logger;
}

/**
 * GraphQL multipart requests (the graphql-multipart-request-spec; yoga parses them into
 * File objects in `variables`). NATS cannot carry the bytes (1 MB messages), so each
 * file is streamed into the JetStream object store's staging bucket and replaced in
 * `variables` by a StagedUpload reference naming the object and who uploaded it;
 * the service that takes the file checks, copies and deletes it, and the bucket's TTL
 * removes what nobody claims. Only a logged-in caller may stage files, and a file over
 * the limit is refused before anything is stored. If staging fails half-way, the
 * objects already staged for this request are deleted again.
 */
export function useStagedUploads(options: StagedUploadsOptions): Plugin {
  let bucket: Promise<ObjectStore> | undefined;
  const staging = () =>
    (bucket ??= new Objm(options.nc)
      .create(stagedUploadBucket(options.subjects), {
        ttl: STAGED_UPLOAD_TTL_MS * NANOS_PER_MS,
        max_bytes: STAGED_UPLOAD_BUCKET_MAX_BYTES,
        storage: StorageType.File,
      })
      .catch((error: unknown) => {
        bucket = undefined;
        throw error;
      }));

  return {
    async onParams({ params, request, setParams }) {
      const files = findFiles(params.variables);
      if (files.length === 0) return;
      const uploadedBy = await uploader(request, options.verifier);
      for (const { file, path } of files) {
        if (file.size > options.maxBytes) {
          throw requestError(`${path.join('.')}: the file is larger than ${options.maxBytes} bytes`, ErrorCode.BadUserInput, 413);
        }
      }
      const store = await staging();
      const staged: string[] = [];
      try {
        const references = new Map<UploadedFile, StagedUpload>();
        for (const { file } of files) {
          const upload = randomUUID();
          const info = await store.put({ name: upload, metadata: { uploadedBy } }, file.stream());
          staged.push(upload);
          references.set(file, {
            upload,
            filename: file.name || 'file',
            contentType: file.type || 'application/octet-stream',
            size: info.size,
            uploadedBy,
          });
        }
        setParams({ ...params, variables: replaceFiles(params.variables, references) as Record<string, unknown> });
      } catch (error) {
        await Promise.all(staged.map((name) => store.delete(name).catch(() => undefined)));
        options.logger.error({ err: error }, 'staging an upload failed');
        throw requestError('The upload could not be stored; try again', ErrorCode.ServiceUnavailable, 503);
      }
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

async function uploader(request: Request, verifier: TokenVerifier): Promise<string> {
  const token = bearerToken(request.headers.get('authorization') ?? '');
  if (!token) throw requestError('Log in to upload files', ErrorCode.Unauthenticated, 401);
  try {
    return (await verifier.verify(token)).username;
  } catch (error) {
    throw requestError((error as Error).message, ErrorCode.Unauthenticated, 401);
  }
}

function requestError(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}
