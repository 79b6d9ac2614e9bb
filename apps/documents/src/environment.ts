import { homedir } from 'node:os';
import { join } from 'node:path';
import { commonEnvironment, databaseEnvironment, loadEnvironment, masterKeyEnvironment, z } from '@simpul/kit';

const documentsEnvironment = (home: string) =>
  z.object({
    ...commonEnvironment,
    ...databaseEnvironment,
    ...masterKeyEnvironment,
    /** Where, outside production, a generated master key is kept (shared with identity under `npm start`). */
    SIMPUL_STATE_DIR: z.string().min(1).default(join(home, '.simpul')),
    /** Largest attachment accepted, in bytes (the gateway's MAX_UPLOAD_BYTES should be at least this). */
    ATTACHMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    /** Content types an attachment may have, comma-separated. */
    ATTACHMENT_CONTENT_TYPES: z
      .string()
      .default('application/pdf,image/png,image/jpeg,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
  });

export type DocumentsEnvironment = z.infer<ReturnType<typeof documentsEnvironment>>;

/** The documents service's settings; throws kit's ConfigError listing every bad value. */
export function readEnvironment(source: Record<string, string | undefined> = process.env): DocumentsEnvironment {
  return loadEnvironment(documentsEnvironment(source.HOME || homedir()), source);
}
