import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure logic, no network, beside the code as *.test.ts), `integration`
 * (test/, against the real local stack that the global setup starts once) and `faults`
 * (test/faults/, `npm run test:faults`: each file kills and restarts parts of a private stack of
 * its own, so no global stack, one file at a time, and long timeouts for the recoveries).
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
            'bench/**/*.test.ts',
          ],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', '**/*.integration.test.ts'],
          exclude: ['node_modules/**', 'test/faults/**'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          exclude: ['node_modules/**'],
          environment: 'node',
          pool: 'forks',
          maxWorkers: 1,
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
