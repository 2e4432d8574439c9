// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966), parsed without loss.
//
// User, password, parameters and headers keep their %HH escapes: RFC 3261 §19.1.4 compares
// URIs after unescaping, and only the comparing code knows which parts matter, so it calls
// unescapeUriPart itself. That also keeps `sip:null-%00-null@…` (RFC 4475 escnull) intact.

import { type Result, fail, ok } from './message.ts';
import { type Params, formatParams } from './params.ts';
import {
  HOSTNAME, URI_HEADERS, URI_PARAM, URI_PASSWORD, URI_USER, allIn, escapesValid, ipv6RefEnd, scan,
} from './lex.ts';

export interface SipUri {
  /** Lower-case: `sip`, `sips` or `tel`. */
  scheme: string;
  /** Escaped as written; for tel: the telephone number. */
  user?: string;
  password?: string;
  /** Host name, IPv4 address or IPv6 reference with its brackets; '' for tel. */
  host: string;
  port?: number;
  params: Params;
  /** The raw `?name=value&…` part, or ''. */
  headers: string;
}

/** Index of the `:` ending a valid scheme (ALPHA *(ALPHA / DIGIT / + / - / .)), or -1. */
export function schemeEnd(s: string): number {
  const first = s.charCodeAt(0) | 32;
  if (!(first >= 97 && first <= 122)) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) return i;
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return -1;
  }
  return -1;
}

/** The lower-cased scheme of any absolute URI, or undefined when there is none. */
export function uriScheme(s: string): string | undefined {
  const end = schemeEnd(s);
  return end < 0 ? undefined : s.slice(0, end).toLowerCase();
}

/** Loose absoluteURI check for schemes we do not interpret (http:, isbn:, urn:…). */
export function isAbsoluteUri(s: string): boolean {
  const end = schemeEnd(s);
  if (end < 0 || end === s.length - 1) return false;
  for (let i = end + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 34 || c === 60 || c === 62) return false;
  }
  return true;
}

export function parseUri(s: string): Result<SipUri> {
  const colon = schemeEnd(s);
  if (colon < 0) return fail('Malformed URI scheme');
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(s, scheme, colon + 1);
  if (scheme === 'tel') return parseTelUri(s, colon + 1);
  return fail(`Unsupported URI scheme ${scheme}`);
}

function parseSipUri(s: string, scheme: string, i: number): Result<SipUri> {
  const uri: SipUri = { scheme, host: '', params: [], headers: '' };
  const r = scanSipUri(s, i, uri);
  return typeof r === 'string' ? fail(r) : ok(uri);
}

/**
 * The SIP URI grammar from s[i] (just after the scheme's colon), filling `out` when given: the
 * error, or the index where `?headers` start (s.length when there are none). Validation calls it
 * without `out` and so allocates nothing.
 */
function scanSipUri(s: string, i: number, out: SipUri | undefined): string | number {
  const at = s.indexOf('@', i);
  if (at >= 0) {
    const pw = s.indexOf(':', i);
    const userEnd = pw >= 0 && pw < at ? pw : at;
    if (!allIn(s, URI_USER, i, userEnd) || !escapesValid(s, i, userEnd)) return 'Malformed URI user part';
    if (out) out.user = s.slice(i, userEnd);
    if (userEnd < at) {
      if (at > userEnd + 1 && (!allIn(s, URI_PASSWORD, userEnd + 1, at) || !escapesValid(s, userEnd + 1, at))) {
        return 'Malformed URI password';
      }
      if (out) out.password = s.slice(userEnd + 1, at);
    }
    i = at + 1;
  }
  const hostEnd = scanHost(s, i);
  if (hostEnd < 0) return 'Malformed URI host';
  if (out) out.host = s.slice(i, hostEnd);
  let j = hostEnd;
  if (s.charCodeAt(j) === 58) {
    const ps = j + 1;
    j = scanDigits(s, ps);
    let port = 0;
    for (let k = ps; k < j; k++) port = port * 10 + s.charCodeAt(k) - 48;
    if (j - ps < 1 || j - ps > 5 || port > 65535) return 'Malformed URI port';
    if (out) out.port = port;
  }
  j = parseUriParams(s, j, out?.params);
  if (j < 0) return 'Malformed URI parameter';
  const headers = j;
  if (s.charCodeAt(j) === 63) {
    if (!allIn(s, URI_HEADERS, j + 1) || !escapesValid(s, j + 1)) return 'Malformed URI headers';
    if (out) out.headers = s.slice(j);
    j = s.length;
  }
  return j === s.length ? (s.charCodeAt(headers) === 63 ? headers : s.length) : 'Invalid character in URI';
}

/**
 * What parseUri would say about `s`, without building it: the error, or whether the URI carries
 * `?headers` (for validation, which only needs to know the URI is well-formed).
 */
export function checkUri(s: string): { error: string } | { headers: boolean } {
  const colon = schemeEnd(s);
  if (colon < 0) return { error: 'Malformed URI scheme' };
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') {
    const r = scanSipUri(s, colon + 1, undefined);
    return typeof r === 'string' ? { error: r } : r < s.length ? HAS_HEADERS : NO_HEADERS;
  }
  const r = parseUri(s);
  return r.ok ? (r.value.headers !== '' ? HAS_HEADERS : NO_HEADERS) : { error: r.error };
}

const HAS_HEADERS = { headers: true } as const;
const NO_HEADERS = { headers: false } as const;

/** global-number / local-number digits, visual separators and DTMF-ish characters. */
const TEL_CHARS = new Uint8Array(128);
for (const ch of '0123456789abcdefABCDEF+-.()*#') TEL_CHARS[ch.charCodeAt(0)] = 1;

function parseTelUri(s: string, i: number): Result<SipUri> {
  const end = scan(s, i, TEL_CHARS);
  if (end === i) return fail('Malformed tel URI number');
  const uri: SipUri = { scheme: 'tel', user: s.slice(i, end), host: '', params: [], headers: '' };
  const j = parseUriParams(s, end, uri.params);
  return j === s.length ? ok(uri) : fail('Malformed tel URI');
}

/** End of host at s[i] (IPv6 reference, IPv4 or name), or -1 if there is none. */
function scanHost(s: string, i: number): number {
  if (s.charCodeAt(i) === 91) return ipv6RefEnd(s, i);
  const end = scan(s, i, HOSTNAME);
  return end === i ? -1 : end;
}

function scanDigits(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}

/** `*( ";" pname [ "=" pvalue ] )` into out (if given); returns the end index, or -1 on a bad parameter. */
function parseUriParams(s: string, j: number, out: Params | undefined): number {
  while (s.charCodeAt(j) === 59) {
    const ns = j + 1;
    j = scan(s, ns, URI_PARAM);
    if (j === ns || !escapesValid(s, ns, j)) return -1;
    const ne = j;
    let vs = -1;
    if (s.charCodeAt(j) === 61) {
      vs = j + 1;
      j = scan(s, vs, URI_PARAM);
      if (j === vs || !escapesValid(s, vs, j)) return -1;
    }
    if (out) out.push([s.slice(ns, ne), vs < 0 ? null : s.slice(vs, j)]);
  }
  return j;
}

export function formatUri(u: SipUri): string {
  if (u.scheme === 'tel') return `tel:${u.user ?? ''}${formatParams(u.params)}`;
  let out = `${u.scheme}:`;
  if (u.user !== undefined) out += u.password !== undefined ? `${u.user}:${u.password}@` : `${u.user}@`;
  out += u.host;
  if (u.port !== undefined) out += `:${u.port}`;
  return out + formatParams(u.params) + u.headers;
}

/** Resolve %HH escapes (as UTF-8) for comparison; the input is assumed to be escapesValid. */
export function unescapeUriPart(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const v = Number.parseInt(s.slice(i + 1, i + 3), 16);
      if (!Number.isNaN(v)) {
        bytes.push(v);
        i += 2;
        continue;
      }
    }
    const cp = s.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}
