/**
 * `npm run schemas:export`: regenerates schemas/json/<topic>.schema.json and docs/topics.md from
 * the zod contracts. Commit the result; the unit tests in export.test.ts and topics-doc.test.ts
 * fail while either is out of date.
 */
import { SCHEMAS_JSON_DIR, writeSchemaFiles, writeTopicsDoc } from './files.ts';
import { TOPICS_DOC_PATH } from './topics-doc.ts';

const r = writeSchemaFiles();
const rel = (names: string[]) => (names.length === 0 ? '-' : names.join(', '));
process.stdout.write(
  `schemas/json (${SCHEMAS_JSON_DIR}): ${r.written.length} written, ${r.unchanged.length} unchanged, ` +
    `${r.deleted.length} deleted\n  written: ${rel(r.written)}\n  deleted: ${rel(r.deleted)}\n`,
);
const docWritten = await writeTopicsDoc();
process.stdout.write(`${TOPICS_DOC_PATH}: ${docWritten ? 'written' : 'unchanged'}\n`);
