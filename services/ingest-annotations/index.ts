/**
 * Coded stances of platform ads (`influence import annotations <files…>`): a first-party CSV of
 * human codings → `annotation` events on influence.raw.annotation.v1, keyed by the annotated ad.
 */
import type { ImportSource } from '../shared/ingest/source.ts';
import { openAnnotations, readAnnotationRows, type AnnotationCells } from './annotation-rows.reader.ts';
import { parseAnnotationRow } from './annotations.parser.ts';

export type { AnnotationCells } from './annotation-rows.reader.ts';
export {
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  openAnnotations,
  readAnnotationRows,
} from './annotation-rows.reader.ts';
export { annotationOf, annotationRecordId, parseAnnotationRow } from './annotations.parser.ts';

/**
 * The envelope's `source`: the file format is in it, so a later API or webhook of codings can
 * keep ids of its own.
 */
export const ANNOTATIONS_EVENT_SOURCE = 'annotations:csv';

export const annotationsSource: ImportSource<AnnotationCells> = {
  name: 'annotations',
  eventSource: ANNOTATIONS_EVENT_SOURCE,
  eventType: 'annotation',
  description: "Coders' stances on platform ads (platform, ad_id, subject, stance, transcript, coder), CSV",
  open: openAnnotations,
  read: ({ input }) => readAnnotationRows(input),
  parse: parseAnnotationRow,
};

/** Every source of this folder, for the CLI. */
export const SOURCES: readonly ImportSource<AnnotationCells>[] = [annotationsSource];
