// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'scratch/**', '.state/**', 'schemas/json/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node builtins, no I/O clients.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code must be deterministic: no Node builtins.' },
            {
              group: [
                'kafkajs',
                '@clickhouse/*',
                'chdb',
                'pino',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Workflow code must not do I/O; use an activity.',
            },
            {
              group: ['**/services/**', '**/infra/**'],
              message: 'Workflows import only schemas/ and activity contracts.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // schemas/ stays pure so workflows can use it.
    files: ['schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '**/services/**',
                '**/workflows/**',
                '**/infra/**',
                'kafkajs',
                '@temporalio/*',
                '@clickhouse/*',
              ],
              message: 'schemas/ imports only zod.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript that runs before the TypeScript toolchain is installed.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { process: 'readonly', Buffer: 'readonly' },
    },
  },
);
