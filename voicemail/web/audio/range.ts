// The single byte range of a `Range` header (RFC 9110 §14), against a representation of `size`
// bytes. A header we do not understand (another unit, bad syntax, several ranges) is ignored and
// the whole file is sent, as §14.2 allows; a well-formed range that lies outside the file is 416.
export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const FULL: RangeResult = { kind: 'full' };
const UNSATISFIABLE: RangeResult = { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return FULL;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return FULL;
  const first = m[1] === '' ? undefined : Number(m[1]);
  const last = m[2] === '' ? undefined : Number(m[2]);
  if ((first !== undefined && !Number.isSafeInteger(first)) || (last !== undefined && !Number.isSafeInteger(last))) return FULL;
  if (first === undefined) {
    // bytes=-n: the last n bytes.
    if (last === 0 || size === 0) return UNSATISFIABLE;
    return { kind: 'partial', start: Math.max(0, size - last!), end: size - 1 };
  }
  if (last !== undefined && last < first) return FULL; // invalid range-spec: ignore the header
  if (first >= size) return UNSATISFIABLE;
  return { kind: 'partial', start: first, end: last === undefined ? size - 1 : Math.min(last, size - 1) };
}
