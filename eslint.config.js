// @ts-check
import tseslint from 'typescript-eslint';

const SERVICES = ['gateway', 'identity', 'personnel', 'documents', 'registry'];

/** In apps/<own>/, importing any other app is an error: services talk over NATS only. */
function boundariesFor(own) {
  const others = SERVICES.filter((s) => s !== own);
  return {
    files: [`apps/${own}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(@simpul/(${others.join('|')})|(\\.\\./)+(apps/)?(${others.join('|')})/)`,
              message: 'A service never imports another service: call it over NATS, or move the shared part into packages/.',
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/generated/**', '**/dist/**', '**/.turbo/**', 'apps/gateway/graphiql/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // Settings are read in one place per process (environment.ts), validated, and typed.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings in environment.ts (validated with zod), not here.' }],
    },
  },
  {
    files: [
      '**/environment.ts',
      '**/test/**',
      '**/*.test.ts',
      'packages/testing/**',
      'bench/**',
      'e2e/**',
      'examples/*/scripts/**',
      '**/prisma.config.ts',
      '**/vitest.config.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@simpul/(gateway|identity|personnel|documents|registry)|(\\.\\./)+apps/)',
              message: 'Packages are shared by services and must not depend on any of them.',
            },
          ],
        },
      ],
    },
  },
  ...SERVICES.map(boundariesFor),
);
