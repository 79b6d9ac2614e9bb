import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@simpul/bus';
import { ErrorCode, STAGED_UPLOAD_BUCKET_MAX_BYTES, STAGED_UPLOAD_TTL_MS, stagedUploadBucket, type StagedUpload, type Subjects } from '@simpul/contracts';
import type { Logger } from '@simpul/kit';
import type { UploadQuota } from './upload-quota.ts';

const NANOS_PER_MS = 1_000_000;

/** What yoga's multipart parser leaves in `variables` for each file part. */
export interface UploadedFile {
  name: string;
  type: string;
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

/** The files of one operation, stored in the staging bucket until the operation ends. */
export interface StagedBatch {
  /** What the service receives in place of each file. */
  references: Map<UploadedFile, StagedUpload>;
  /**
   * Deletes whatever the service did not claim (it deletes what it takes) and gives the
   * user's quota back. Call it when the operation has ended, whether it succeeded or not.
   */
  release(): Promise<void>;
}

/**
 * The JetStream object store bucket that carries files from the gateway to a service
 * (NATS messages cannot carry them), with a quota per user. Files stay in it only
 * while the operation that carried them runs.
 */
export class UploadStaging {
  private bucket: Promise<ObjectStore> | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: Subjects,
    private readonly quota: UploadQuota,
    private readonly logger: Logger,
  ) {}

  /** Stores the files for `user`; refuses (429) when they would take the user over the quota. */
  async stage(user: string, files: readonly UploadedFile[]): Promise<StagedBatch> {
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    if (!this.quota.tryReserve(user, files.length, bytes)) {
      const held = this.quota.holding(user);
      throw requestError(
        `You already have ${held.files} file(s), ${held.bytes} bytes, being uploaded; the limit per user is reached. Try again when they are done.`,
        ErrorCode.QuotaExceeded,
        429,
      );
    }
    const staged: string[] = [];
    const release = () => this.release(user, staged, files.length, bytes);
    try {
      const store = await this.store();
      const references = new Map<UploadedFile, StagedUpload>();
      for (const file of files) {
        const upload = randomUUID();
        staged.push(upload);
        const info = await store.put({ name: upload, metadata: { uploadedBy: user } }, file.stream());
        references.set(file, {
          upload,
          filename: file.name || 'file',
          contentType: file.type || 'application/octet-stream',
          size: info.size,
          uploadedBy: user,
        });
      }
      return { references, release };
    } catch (error) {
      await release();
      this.logger.error({ err: error }, 'staging an upload failed');
      throw requestError('The upload could not be stored; try again', ErrorCode.ServiceUnavailable, 503);
    }
  }

  private async release(user: string, names: readonly string[], files: number, bytes: number): Promise<void> {
    const results = await Promise.allSettled(
      names.map(async (name) => {
        const store = await this.store();
        const info = await store.info(name);
        if (info && !info.deleted) await store.delete(name);
      }),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length === 0) {
      this.quota.release(user, files, bytes);
      return;
    }
    // The bucket's TTL removes what could not be deleted; the user's room comes back then.
    this.logger.warn(
      { err: (failed[0] as PromiseRejectedResult).reason, user, files: names.length },
      'staged uploads not deleted; the bucket TTL will remove them',
    );
    setTimeout(() => this.quota.release(user, files, bytes), STAGED_UPLOAD_TTL_MS).unref();
  }

  private store(): Promise<ObjectStore> {
    return (this.bucket ??= new Objm(this.nc)
      .create(stagedUploadBucket(this.subjects), {
        ttl: STAGED_UPLOAD_TTL_MS * NANOS_PER_MS,
        max_bytes: STAGED_UPLOAD_BUCKET_MAX_BYTES,
        storage: StorageType.File,
      })
      .catch((error: unknown) => {
        this.bucket = undefined;
        throw error;
      }));
  }
}

export function requestError(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}
