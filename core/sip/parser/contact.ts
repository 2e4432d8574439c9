// Contact values (RFC 3261 §20.10, §10.2.1) and the parameters a registrar reads from them.

import { type Result, fail, ok } from './message.ts';
import { type NameAddr, parseNameAddr } from './name-addr.ts';
import { getParam } from './params.ts';
import { splitList } from './list.ts';
import { parseBoundedInt, trimWs } from './lex.ts';

/** Every contact of a (possibly comma-joined) Contact line, or '*' for the wildcard. */
export function parseContacts(value: string): Result<NameAddr[] | '*'> {
  if (trimWs(value) === '*') return ok('*');
  const out: NameAddr[] = [];
  for (const item of splitList(value)) {
    if (item === '') return fail('Empty Contact value');
    const r = parseNameAddr(item);
    if (!r.ok) return fail(`Malformed Contact: ${r.error}`);
    if (r.value.uri === '*') return fail('Wildcard Contact mixed with other values');
    out.push(r.value);
  }
  return ok(out);
}

/** delta-seconds is 0..2**32-1 (§20.19). */
const MAX_DELTA = 2 ** 32 - 1;

/**
 * The `expires` parameter in seconds; undefined when absent or malformed (including values
 * over 2**32-1, RFC 4475 scalar02), so the registrar falls back to the Expires header or 3600.
 */
export function expiresParam(n: NameAddr): number | undefined {
  const v = getParam(n.params, 'expires');
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v)) return undefined;
  const secs = parseBoundedInt(v, 0, v.length, MAX_DELTA);
  return secs < 0 ? undefined : secs;
}

/** The `q` parameter as 0..1 (§20.10 qvalue); undefined when absent or malformed. */
export function qParam(n: NameAddr): number | undefined {
  const v = getParam(n.params, 'q');
  if (typeof v !== 'string' || !/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(v)) return undefined;
  return Number(v);
}
