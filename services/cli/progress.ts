/**
 * Import progress: a line redrawn in place on a terminal (rows, MB, rows/s, DLQ count), a log
 * line every few seconds otherwise.
 */
import type { Logger } from '../shared/logger.ts';
import type { ImportProgress } from '../shared/ingest/importer.ts';

export function progressReporter(log: Logger): { update: (p: ImportProgress) => void; done: () => void } {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < (tty ? 200 : 5000)) return;
      last = now;
      const secs = Math.max(0.001, (now - started) / 1000);
      const mb = p.bytes / 1e6;
      const pct = p.size ? ` ${((100 * p.bytes) / p.size).toFixed(0)}%` : '';
      const line = `${p.input}:${pct} ${p.read.toLocaleString('en-US')} rows, ${mb.toFixed(1)} MB, ${Math.round(p.read / secs).toLocaleString('en-US')} rows/s, ${p.dead_lettered} to DLQ`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        log.info({ ...p, rows_per_s: Math.round(p.read / secs) }, 'import progress');
      }
    },
    done() {
      if (drawn) process.stderr.write('\n');
    },
  };
}
