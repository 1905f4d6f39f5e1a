/**
 * The bench's report: figures next to their targets with a pass/miss mark, ratios first (they
 * compare two things measured in the same run on the same machine, so they survive a noisy
 * neighbour), absolute figures after. A miss is reported, never an exit code: the machines are
 * shared, and a bench that fails a build on a busy afternoon gets switched off.
 */
import os from 'node:os';

export interface Figure {
  measure: string;
  value: number | string | null;
  unit?: string;
  /** Human-readable target, e.g. "≥ 0.5"; absent when the figure is for scale only. */
  target?: string;
  /** Whether the target is met; undefined when there is no target or no value. */
  pass?: boolean;
  note?: string;
}

/** `≥ x` as a check. */
export function atLeast(value: number | null | undefined, min: number): boolean | undefined {
  return value === null || value === undefined || Number.isNaN(value) ? undefined : value >= min;
}

/** `< x` as a check. */
export function below(value: number | null | undefined, max: number): boolean | undefined {
  return value === null || value === undefined || Number.isNaN(value) ? undefined : value < max;
}

function mark(pass: boolean | undefined): string {
  return pass === undefined ? '' : pass ? 'pass' : 'MISS';
}

function show(value: Figure['value'], unit?: string): string {
  if (value === null) return '—';
  const text =
    typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : value;
  return unit ? `${text} ${unit}` : text;
}

/** A plain-text table with a header row; columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Figures as a table: measure, value, target, mark, note. */
export function figureTable(figures: readonly Figure[]): string {
  return table(
    ['measure', 'value', 'target', '', 'note'],
    figures.map((f) => [f.measure, show(f.value, f.unit), f.target ?? '', mark(f.pass), f.note ?? '']),
  );
}

/** What the numbers were measured on: cores, memory, load, Node. */
export function machineNote(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memory_gb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
    load_average: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
