import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The typed client: GraphQL Code Generator's client preset over the gateway's schema
 * (schema.graphql, see scripts/gateway-schema.ts) and the operations in src/. With
 * persistedDocuments it also writes src/generated/persisted-documents.json, the
 * trusted-documents manifest (sha256 hash -> operation text) the gateway's allow-list
 * reads in production. The hash is the bare hex sha256 of the text in the manifest, as
 * `extensions.persistedQuery.sha256Hash` carries it (no `sha256:` prefix). documentMode 'string' keeps the graphql library out of the bundle.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.ts', '!src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { hashAlgorithm: (operation: string) => createHash('sha256').update(operation).digest('hex') },
      },
    },
  },
};

export default config;
