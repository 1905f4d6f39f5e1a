/** Writes the rendered JSON Schemas to schemas/json/ and removes files no topic produces. */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSchemaFiles } from './export.ts';

/** The committed folder of generated schemas. */
export const SCHEMAS_JSON_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../schemas/json',
);

export interface WriteResult {
  written: string[];
  unchanged: string[];
  deleted: string[];
}

/** Makes `dir` hold exactly the rendered files: writes what differs, deletes anything else. */
export function writeSchemaFiles(dir: string = SCHEMAS_JSON_DIR): WriteResult {
  const files = renderSchemaFiles();
  mkdirSync(dir, { recursive: true });
  const result: WriteResult = { written: [], unchanged: [], deleted: [] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (files.has(entry.name)) continue;
    rmSync(path.join(dir, entry.name), { recursive: true, force: true });
    result.deleted.push(entry.name);
  }
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    let current: string | null = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null;
    }
    if (current === text) {
      result.unchanged.push(name);
      continue;
    }
    writeFileSync(file, text);
    result.written.push(name);
  }
  return result;
}
