/**
 * `npm run schemas:export`: regenerates schemas/json/<topic>.schema.json from the zod contracts.
 * Commit the result; the unit test in export.test.ts fails while the folder is out of date.
 */
import { SCHEMAS_JSON_DIR, writeSchemaFiles } from './files.ts';

const r = writeSchemaFiles();
const rel = (names: string[]) => (names.length === 0 ? '-' : names.join(', '));
process.stdout.write(
  `schemas/json (${SCHEMAS_JSON_DIR}): ${r.written.length} written, ${r.unchanged.length} unchanged, ` +
    `${r.deleted.length} deleted\n  written: ${rel(r.written)}\n  deleted: ${rel(r.deleted)}\n`,
);
