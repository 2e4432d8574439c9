// Ordered parameter lists for URIs and header values (RFC 3261 §7.3.1, §19.1.1).
//
// Names keep their original spelling and values stay as written (a quoted value keeps its
// quotes, an escaped URI value keeps its %HH), so formatting gives back what we parsed. Only
// lookups fold case, because parameter names are case-insensitive.

import { type Result, fail, ok } from './message.ts';
import { PARAM_VALUE, TOKEN, quotedEnd, scan, skipWs } from './lex.ts';

/** `[name, value]` pairs in wire order; `null` value for a bare flag such as `;lr`. */
export type Params = [name: string, value: string | null][];

function indexOfParam(params: Params, name: string): number {
  const key = name.toLowerCase();
  for (let i = 0; i < params.length; i++) {
    const n = (params[i] as [string, string | null])[0];
    if (n.length === key.length && n.toLowerCase() === key) return i;
  }
  return -1;
}

/** Value of the first parameter of that name: `null` for a flag, `undefined` if absent. */
export function getParam(params: Params, name: string): string | null | undefined {
  const i = indexOfParam(params, name);
  return i < 0 ? undefined : (params[i] as [string, string | null])[1];
}

export function hasParam(params: Params, name: string): boolean {
  return indexOfParam(params, name) >= 0;
}

/** Replace the value in place (keeping the position and spelling), or append. */
export function setParam(params: Params, name: string, value: string | null = null): Params {
  const i = indexOfParam(params, name);
  if (i < 0) params.push([name, value]);
  else (params[i] as [string, string | null])[1] = value;
  return params;
}

/** Remove every parameter of that name. */
export function deleteParam(params: Params, name: string): Params {
  for (let i = indexOfParam(params, name); i >= 0; i = indexOfParam(params, name)) params.splice(i, 1);
  return params;
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [n, v] of params) out += v === null ? `;${n}` : `;${n}=${v}`;
  return out;
}

export interface ParamsScan {
  params: Params;
  /** Index just past the last parameter consumed (trailing whitespace not included). */
  end: number;
}

/**
 * Header parameters (`*( SEMI generic-param )`) starting at s[i]: whitespace is allowed around
 * `;` and `=`, values are token, host (IPv6 too) or quoted-string. Stops at the first character
 * that does not continue the list and reports where, so callers decide what may follow.
 */
export function parseHeaderParams(s: string, i: number): Result<ParamsScan> {
  const params: Params = [];
  for (;;) {
    let j = skipWs(s, i);
    if (j >= s.length || s.charCodeAt(j) !== 59) return ok({ params, end: i });
    j = skipWs(s, j + 1);
    const nameStart = j;
    j = scan(s, j, TOKEN);
    if (j === nameStart) return fail('Empty parameter');
    const name = s.slice(nameStart, j);
    let value: string | null = null;
    const eq = skipWs(s, j);
    if (eq < s.length && s.charCodeAt(eq) === 61) {
      const vs = skipWs(s, eq + 1);
      if (s.charCodeAt(vs) === 34) {
        j = quotedEnd(s, vs);
        if (j < 0) return fail(`Unterminated quoted value of parameter ${name}`);
      } else {
        j = scan(s, vs, PARAM_VALUE);
        if (j === vs) return fail(`Empty value of parameter ${name}`);
      }
      value = s.slice(vs, j);
    }
    params.push([name, value]);
    i = j;
  }
}
