import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The trusted documents: the operations a front-end's build says it sends, keyed by
 * their SHA-256. The manifest is what GraphQL Code Generator's client preset writes
 * with `persistedDocuments: true` (persisted-documents.json): one JSON object from
 * `"sha256:<64 hex>"` to the document's text. Keys without the `sha256:` prefix (as
 * other tools write them) are read too.
 *
 * Each key is checked against its document when the gateway starts: a manifest whose
 * hashes were made another way (the preset's `hashAlgorithm: 'sha1'`, say) would
 * otherwise load fine and then refuse every request of that front-end.
 */
export type TrustedDocuments = ReadonlyMap<string, string>;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Reads and checks every manifest (one per front-end); throws naming the file and the entry at fault. */
export function loadTrustedDocuments(paths: readonly string[]): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const path of paths) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS: cannot read ${path} as JSON: ${(error as Error).message}`);
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      throw new Error(`TRUSTED_DOCUMENTS: ${path} is not a JSON object from document hash to document text`);
    }
    for (const [key, text] of Object.entries(manifest)) {
      const hash = documentHash(key);
      if (!hash || typeof text !== 'string') {
        throw new Error(`TRUSTED_DOCUMENTS: ${path}: entry "${key}" is not "sha256:<64 hex>" → document text`);
      }
      if (sha256(text) !== hash) {
        throw new Error(`TRUSTED_DOCUMENTS: ${path}: entry "${key}" is not the SHA-256 of its document (generate the manifest with hashAlgorithm 'sha256')`);
      }
      documents.set(hash, text);
    }
  }
  return documents;
}

/** The bare lowercase hex of a document id (`sha256:<hex>` or `<hex>`), or undefined when it is not one. */
export function documentHash(id: string): string | undefined {
  const hex = (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id).toLowerCase();
  return HEX_SHA256.test(hex) ? hex : undefined;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
