// The worklist's `next` cursor: the page's LastEvaluatedKey, as base64url JSON. The query it is used
// with is rebuilt from the caller's own token, so a cursor altered by hand can only page through what
// the caller may see anyway; one that is not even a key is a 400.
import { InvalidInputError } from '#core/errors.ts';

const MAX_CURSOR_LENGTH = 2048;
const MAX_KEY_ATTRIBUTES = 6;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key === undefined ? null : Buffer.from(JSON.stringify(key)).toString('base64url');
}

const invalid = () =>
  new InvalidInputError([
    { path: 'cursor', message: 'The page cursor is not valid: start again from the first page' },
  ]);

export function decodeCursor(cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[\w-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const entries = typeof key === 'object' && key !== null && !Array.isArray(key) ? Object.entries(key) : [];
  if (
    entries.length === 0 ||
    entries.length > MAX_KEY_ATTRIBUTES ||
    entries.some(([, value]) => typeof value !== 'string')
  ) {
    throw invalid();
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
