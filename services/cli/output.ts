/**
 * Terminal output of the CLI: results on stdout (tables for people, JSON for scripts), logs on
 * stderr (readable lines on a terminal, pino NDJSON otherwise). Colours only on a terminal.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../shared/logger.ts';

const useColour = (stream: NodeJS.WriteStream): boolean =>
  Boolean(stream.isTTY) && !('NO_COLOR' in process.env);

export function bold(text: string): string {
  return useColour(process.stdout) ? `\x1b[1m${text}\x1b[0m` : text;
}

/** Renders rows as an aligned text table. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((c, i) => (/^-?[\d.,]+$/.test(c) && i > 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    bold(line(cells[0] ?? [])),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/**
 * A decimal amount (ClickHouse's Decimal as a JSON number or string, e.g. `5182694.24`) in
 * cents, rounded half up past the second place. @throws on anything that is not a decimal.
 */
export function toCents(amount: string | number): bigint {
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(String(amount));
  if (!m) throw new Error(`not a decimal amount: ${String(amount)}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  const c = BigInt(m[2] ?? '0') * 100n + BigInt(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1n : 0n);
  return m[1] ? -c : c;
}

/** Cents as dollars with thousands separators: `518269424n` → `5,182,694.24`. */
export function formatCents(c: bigint): string {
  const a = c < 0n ? -c : c;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${c < 0n ? '-' : ''}${whole}.${String(a % 100n).padStart(2, '0')}`;
}

/** A decimal amount as dollars with thousands separators. */
export function money(amount: string | number): string {
  return formatCents(toCents(amount));
}

/** A destination that prints pino lines as `time component: message` on a terminal. */
function humanStderr(): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const o = JSON.parse(line) as Record<string, unknown>;
          const time = typeof o['time'] === 'string' ? o['time'].slice(11, 19) : '';
          const who = [o['service'], o['module'], o['process']].filter(Boolean).join('/');
          const lvl = Number(o['level']);
          const tag = lvl >= 50 ? ' ERROR' : lvl >= 40 ? ' warn' : '';
          const err =
            o['err'] && typeof o['err'] === 'object'
              ? ` — ${String((o['err'] as { message?: unknown }).message)}`
              : '';
          process.stderr.write(`${time} ${who}${tag}: ${String(o['msg'])}${err}\n`);
        } catch {
          process.stderr.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/** The CLI's logger: readable on a terminal, NDJSON when stderr is not one. */
export function cliLogger(): Logger {
  return process.stderr.isTTY ? createLogger('cli', humanStderr()) : createLogger('cli', process.stderr);
}

/** Prints `value` as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
