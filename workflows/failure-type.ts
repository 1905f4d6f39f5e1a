/**
 * The type of a failure for metrics labels, with no dependencies, so that workflow code (in
 * Temporal's sandbox) and the worker's activity metrics label failures alike.
 */

/** An ApplicationFailure's `type`, else the error's name, else `unknown`. */
export function failureType(err: unknown): string {
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type !== '') return type;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' ? name : 'unknown';
}
