import { z } from 'zod';
import type { Subjects } from './subjects.ts';

/**
 * File uploads (GraphQL multipart requests). NATS messages are small (1 MB here), so
 * the gateway never puts file bytes in a GraphQL request: it streams each uploaded
 * file into a JetStream object store bucket and passes the service this reference in
 * place of the file. The service that takes the file copies it into its own bucket
 * and deletes the staged object; the gateway deletes what is left when the operation
 * ends, and the bucket's TTL removes what a stopped gateway left behind.
 */
export function stagedUploadBucket(subjects: Subjects): string {
  return `${subjects.namespace}_uploads`;
}

/** The GraphQL scalar a service declares for an argument that takes a file. */
export const UPLOAD_SCALAR = 'Upload';

/**
 * How long an unclaimed staged upload is kept. The gateway deletes what the service did
 * not take as soon as the operation ends, so this only bounds what a gateway that
 * stopped half-way leaves behind.
 */
export const STAGED_UPLOAD_TTL_MS = 60 * 60 * 1000;

/**
 * Cap on what the staging bucket holds at once (claimed uploads are deleted at once, so
 * this bounds only the unclaimed ones): more is refused rather than the server's disk
 * filled. JetStream reserves a stream's max bytes against the server's store limit, so
 * it is kept modest; every test namespace has its own bucket.
 */
export const STAGED_UPLOAD_BUCKET_MAX_BYTES = 256 * 1024 * 1024;

/** What a service receives for an `Upload` argument. */
export const StagedUpload = z.object({
  /** Object name in the staging bucket (a random UUID). */
  upload: z.uuid(),
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().min(0),
  /** Username of who uploaded it: only they can claim it. */
  uploadedBy: z.string().min(1),
});
export type StagedUpload = z.infer<typeof StagedUpload>;

/**
 * Downloads go the other way: `GET /attachments/<id>` on the gateway asks the documents
 * service (with the caller's token) whether the caller may read the attachment and
 * where its bytes are, then streams them from this bucket. The bytes never travel in a
 * NATS message either way.
 */
export function attachmentBucket(subjects: Subjects): string {
  return `${subjects.namespace}_documents_attachments`;
}

/** The gateway's download route for an attachment id. */
export const ATTACHMENT_DOWNLOAD_PATH = '/attachments/';

/** What documents answers the gateway for a download it may serve. */
export const AttachmentDownload = z.object({
  objectName: z.string().min(1),
  filename: z.string().min(1),
  contentType: z.string().min(1),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AttachmentDownload = z.infer<typeof AttachmentDownload>;
