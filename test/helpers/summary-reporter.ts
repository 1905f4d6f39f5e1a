/**
 * Ends a run with one plain line, `vitest: N passed, N failed[, N skipped]`, that CI and
 * people can read without knowing vitest's own summary layout.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load, or whose beforeAll failed (its tests are then skipped, not
      // failed), is a failure all the same.
      const own = [...m.children.allTests()];
      if (m.state() === 'failed' && !own.some((t) => t.result().state === 'failed')) failed++;
    }
    process.stdout.write(
      `\nvitest: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
