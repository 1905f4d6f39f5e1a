import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, no network, beside the code as *.test.ts) and `integration`
 * (test/, against the real local stack that the global setup starts once).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'schemas/**/*.test.ts',
            'services/**/*.test.ts',
            'workflows/**/*.test.ts',
            'infra/**/*.test.ts',
          ],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', '**/*.integration.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
