// Character classes and small scanners shared by the header parsers (RFC 3261 §25.1).
//
// Lookup tables instead of regular expressions: every scanner is a single forward pass, so no
// input can trigger backtracking, and scanning itself allocates nothing.

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) {
    for (let c = 48; c <= 57; c++) t[c] = 1;
    for (let c = 65; c <= 90; c++) t[c] = 1;
    for (let c = 97; c <= 122; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~");
/** Header parameter values: token or host (so IPv6 `received=[::1]` / `2001:db8::9` pass). */
export const PARAM_VALUE = table("-.!%*_+`'~:[]");
/**
 * unreserved / user-unreserved / escaped: what may appear in a SIP URI user part, plus `#`,
 * which phones put unescaped in feature codes (`sip:*97#@pbx`) often enough to be worth taking.
 */
export const URI_USER = table("-_.!~*'()%&=+$,;?/#");
/** unreserved / escaped / & = + $ , : the password part. */
export const URI_PASSWORD = table("-_.!~*'()%&=+$,");
/** paramchar = param-unreserved / unreserved / escaped. */
export const URI_PARAM = table("[]/:&+$-_.!~*'()%");
/** hname / hvalue characters plus the `=` and `&` that separate them. */
export const URI_HEADERS = table("[]/?:+$-_.!~*'()%=&");
/** Host names and IPv4 addresses; `_` is not in the grammar but appears in the wild. */
export const HOSTNAME = table('-._');
export const HEX = table('abcdefABCDEF', false);
for (let c = 48; c <= 57; c++) HEX[c] = 1;

export function isWs(c: number): boolean {
  return c === 32 || c === 9;
}

/** True when every character of s is in the table (and s is not empty). */
export function allIn(s: string, t: Uint8Array, from = 0, to = s.length): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || t[c] !== 1) return false;
  }
  return true;
}

export function isToken(s: string): boolean {
  return allIn(s, TOKEN);
}

/** Index of the first character at or after i that is not in the table. */
export function scan(s: string, i: number, t: Uint8Array): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || t[c] !== 1) break;
    i++;
  }
  return i;
}

export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** Trim SP/HTAB only: String#trim would also eat U+FEFF and NBSP, which are data in SIP. */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * End index (just past the closing quote) of the quoted-string starting at s[i] === '"',
 * or -1 if it is unterminated. A backslash escapes the next character (quoted-pair); CR and
 * LF cannot occur here because header lines were already split and unfolded.
 */
export function quotedEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return -1;
}

/** Remove the quotes and resolve quoted-pairs: `"a \"b\""` → `a "b"`. */
export function unquote(q: string): string {
  if (q.length < 2 || q.charCodeAt(0) !== 34) return q;
  const inner = q.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let j = 0; j < inner.length; j++) {
    const ch = inner[j] as string;
    if (ch === '\\' && j + 1 < inner.length) out += inner[++j];
    else out += ch;
  }
  return out;
}

/** Quote a string for a header (display name, quoted parameter value). */
export function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

/** Every `%` is followed by two hex digits (RFC 3261 `escaped`). */
export function escapesValid(s: string, from = 0, to = s.length): boolean {
  for (let i = s.indexOf('%', from); i >= 0 && i < to; i = s.indexOf('%', i + 3)) {
    if (i + 2 >= to) return false;
    const a = s.charCodeAt(i + 1);
    const b = s.charCodeAt(i + 2);
    if (!(a < 128 && HEX[a] === 1 && b < 128 && HEX[b] === 1)) return false;
  }
  return true;
}

/** End (past `]`) of the IPv6 reference starting at s[i] === '[', or -1 if malformed. */
export function ipv6RefEnd(s: string, i: number): number {
  const close = s.indexOf(']', i);
  if (close < 0) return -1;
  let colons = 0;
  for (let k = i + 1; k < close; k++) {
    const c = s.charCodeAt(k);
    if (c === 58) colons++;
    else if (!(c === 46 || (c < 128 && HEX[c] === 1))) return -1;
  }
  return colons >= 2 ? close + 1 : -1;
}

/**
 * Decimal digits s[from..to) as a number, or -1 when above max. Leading zeros are allowed
 * (RFC 4475 wsinv has `0009`) and do not count toward the size limit.
 */
export function parseBoundedInt(s: string, from: number, to: number, max: number): number {
  while (from < to - 1 && s.charCodeAt(from) === 48) from++;
  if (to - from > 15) return -1;
  const n = Number(s.slice(from, to));
  return n <= max ? n : -1;
}
