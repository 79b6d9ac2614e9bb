import { createHash } from 'node:crypto';
import { Objm, StorageType, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@simpul/bus';
import { attachmentBucket, STAGED_UPLOAD_BUCKET_MAX_BYTES, STAGED_UPLOAD_TTL_MS, stagedUploadBucket, type Subjects } from '@simpul/contracts';

const NANOS_PER_MS = 1_000_000;

/** The two buckets attachments pass through: the gateway's staging bucket and documents' own. */
export interface AttachmentBuckets {
  staged: ObjectStore;
  attachments: ObjectStore;
}

export async function openAttachmentBuckets(nc: NatsConnection, subjects: Subjects): Promise<AttachmentBuckets> {
  const objm = new Objm(nc);
  const [staged, attachments] = await Promise.all([
    // Whichever of gateway and documents starts first creates it; both ask for the same settings.
    objm.create(stagedUploadBucket(subjects), {
      ttl: STAGED_UPLOAD_TTL_MS * NANOS_PER_MS,
      max_bytes: STAGED_UPLOAD_BUCKET_MAX_BYTES,
      storage: StorageType.File,
    }),
    objm.create(attachmentBucket(subjects), { storage: StorageType.File }),
  ]);
  return { staged, attachments };
}

/** Reads an object whole, with its SHA-256 (callers check its size from its info first). */
export async function readHashed(bucket: ObjectStore, name: string): Promise<{ bytes: Uint8Array; sha256: string } | null> {
  const result = await bucket.get(name);
  if (!result) return null;
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  const reader = result.data.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    chunks.push(value);
  }
  const error = await result.error;
  if (error) throw error;
  return { bytes: Buffer.concat(chunks), sha256: hash.digest('hex') };
}
