/**
 * A generated FEC itcont file of any size, and the split-only baseline that reads it: the
 * importer's parse rate and memory are measured against them (bench/lib/parse-rate.ts, the memory
 * section of bench/main.ts). Formerly bench/itcont-memory.ts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readLines } from '../../services/shared/ingest/readers.ts';

/**
 * Writes at least `bytes` of pipe-delimited itcont rows to `file`, deterministically: unique
 * SUB_IDs, varied names, amounts (a refund in 29), dates and memo lines (one in 17). Returns the
 * rows written.
 */
export async function generateItcont(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file, { highWaterMark: 1024 * 1024 });
  let written = 0;
  let n = 0;
  const states = ['PA', 'GA', 'MI', 'NV', 'AZ', 'WI', 'NC', 'TX', 'CA', 'NY'];
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 5000; i++, n++) {
      const memo = n % 17 === 0 ? 'X' : '';
      const amount = n % 29 === 0 ? `-${(n % 500) + 1}` : String((n % 5000) + 5);
      const day = String((n % 28) + 1).padStart(2, '0');
      const month = String((n % 12) + 1).padStart(2, '0');
      chunk +=
        `C00${String(879510 + (n % 50)).padStart(6, '0')}|N|Q3|P2024|2024${String(n).padStart(14, '0')}|15|IND|` +
        `DONOR${n % 100000}, PERSON ${n % 997}|CITY ${n % 301}|${states[n % states.length]}|${String(10000 + (n % 89999))}1234|` +
        `EMPLOYER ${n % 503}|OCCUPATION ${n % 71}|${month}${day}2024|${amount}||SA${n}|${1800000 + (n % 999)}|${memo}|` +
        `${memo ? 'EARMARKED' : ''}|${4100000000000000000n + BigInt(n)}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

/** The baseline: read the file line by line (the importer's line reader) and split on '|'. */
export async function splitPipeFile(file: string): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  let rows = 0;
  for await (const line of readLines(createReadStream(file, { highWaterMark: 256 * 1024 }))) {
    if (line.text.split('|').length > 0) rows++;
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}
