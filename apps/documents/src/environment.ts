import { commonEnvironment, databaseEnvironment, loadEnvironment, z } from '@simpul/kit';

const documentsEnvironment = z.object({
  ...commonEnvironment,
  ...databaseEnvironment,
  /** Largest attachment accepted, in bytes (the gateway's MAX_UPLOAD_BYTES should be at least this). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Content types an attachment may have, comma-separated. */
  ATTACHMENT_CONTENT_TYPES: z
    .string()
    .default('application/pdf,image/png,image/jpeg,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)),
});

export type DocumentsEnvironment = z.infer<typeof documentsEnvironment>;

/** The documents service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): DocumentsEnvironment {
  return loadEnvironment(documentsEnvironment, source);
}
