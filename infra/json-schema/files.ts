/**
 * Writes the rendered JSON Schemas to schemas/json/ and removes files no topic produces; writes
 * docs/topics.md from the same contracts.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { renderSchemaFiles } from './export.ts';
import { topicExamples } from './topic-examples.ts';
import { EXAMPLE_CONSUMER_PATH, renderTopicsDoc, TOPICS_DOC_PATH } from './topics-doc.ts';

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

/** The repository root. */
const REPO_ROOT = path.resolve(SCHEMAS_JSON_DIR, '../..');

/**
 * The text docs/topics.md should have: examples computed, the example consumer read from disk,
 * formatted by Prettier with the repository's settings (so `format:check` accepts it as written).
 */
export async function renderTopicsDocFile(): Promise<string> {
  const consumer = readFileSync(path.join(REPO_ROOT, EXAMPLE_CONSUMER_PATH), 'utf8');
  const file = topicsDocFile();
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(renderTopicsDoc(await topicExamples(), consumer), { ...options, filepath: file });
}

/** The absolute path of docs/topics.md (or of `TOPICS_DOC_PATH` under `root`). */
export function topicsDocFile(root: string = REPO_ROOT): string {
  return path.join(root, TOPICS_DOC_PATH);
}

/** Writes docs/topics.md when it differs. @returns whether it was written. */
export async function writeTopicsDoc(file: string = topicsDocFile()): Promise<boolean> {
  const text = await renderTopicsDocFile();
  let current: string | null = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = null;
  }
  if (current === text) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return true;
}
