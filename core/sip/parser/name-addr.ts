// name-addr / addr-spec values of From, To, Contact, Route, Reply-To… (RFC 3261 §20.10, §25.1).

import { type Result, fail, ok } from './message.ts';
import { type Params, formatParams, getParam, parseHeaderParams } from './params.ts';
import { isAbsoluteUri } from './uri.ts';
import { isToken, isWs, quote, quotedEnd, skipWs, trimWs, unquote } from './lex.ts';

export interface NameAddr {
  /** Display name with quotes and quoted-pairs resolved. */
  displayName?: string;
  /** Display name exactly as written (quoted or a run of tokens). */
  rawDisplayName?: string;
  /** The URI as written between `<>` (or the bare addr-spec); `*` for a wildcard Contact. */
  uri: string;
  /** Header parameters after the URI (tag, expires, q…). */
  params: Params;
}

export function parseNameAddr(input: string): Result<NameAddr> {
  const s = trimWs(input);
  if (s === '*') return ok({ uri: '*', params: [] });
  const out: NameAddr = { uri: '', params: [] };
  let lt: number;
  if (s.charCodeAt(0) === 34) {
    const end = quotedEnd(s, 0);
    if (end < 0) return fail('Unterminated quoted display name');
    out.rawDisplayName = s.slice(0, end);
    out.displayName = unquote(out.rawDisplayName);
    lt = skipWs(s, end);
    if (s.charCodeAt(lt) !== 60) return fail('Expected <URI> after display name');
  } else {
    lt = s.indexOf('<');
    if (lt < 0) return parseAddrSpec(s);
    // RFC 4475 lwsdisp: `caller<sip:…>` lacks the LWS the grammar wants; accepted (errata).
    const dn = trimWs(s.slice(0, lt));
    if (dn.length > 0) {
      if (!isTokenRun(dn)) return fail('Malformed display name');
      out.rawDisplayName = dn;
      out.displayName = dn;
    }
  }
  const gt = s.indexOf('>', lt + 1);
  if (gt < 0) return fail('Unterminated <URI>');
  out.uri = s.slice(lt + 1, gt);
  if (!isAbsoluteUri(out.uri)) return fail('Malformed URI in name-addr');
  return withParams(out, s, gt + 1);
}

/** addr-spec form: per §20.10 everything after the first `;` is a header parameter. */
function parseAddrSpec(s: string): Result<NameAddr> {
  let end = 0;
  while (end < s.length && s.charCodeAt(end) !== 59 && !isWs(s.charCodeAt(end))) end++;
  const uri = s.slice(0, end);
  if (!isAbsoluteUri(uri)) return fail('Malformed addr-spec');
  // §20.10: a URI holding `,` or `?` must be sent as name-addr (RFC 4475 regbadct).
  if (uri.indexOf('?') >= 0 || uri.indexOf(',') >= 0) return fail('URI with "?" or "," must be enclosed in <>');
  return withParams({ uri, params: [] }, s, end);
}

function withParams(out: NameAddr, s: string, from: number): Result<NameAddr> {
  const r = parseHeaderParams(s, from);
  if (!r.ok) return r;
  if (skipWs(s, r.value.end) !== s.length) return fail('Unexpected text after address');
  out.params = r.value.params;
  return ok(out);
}

/** `*(token LWS)`: words made only of token characters. */
function isTokenRun(s: string): boolean {
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && !isWs(s.charCodeAt(j))) j++;
    if (!isToken(s.slice(i, j))) return false;
    i = skipWs(s, j);
  }
  return true;
}

export function formatNameAddr(n: NameAddr): string {
  if (n.uri === '*') return `*${formatParams(n.params)}`;
  let dn = '';
  if (n.displayName !== undefined) {
    const raw = n.rawDisplayName;
    // Reuse the original spelling unless the caller changed displayName since parsing.
    const rawMatches = raw !== undefined && (raw.charCodeAt(0) === 34 ? unquote(raw) : raw) === n.displayName;
    dn = `${rawMatches ? raw : quote(n.displayName)} `;
  }
  return `${dn}<${n.uri}>${formatParams(n.params)}`;
}

/** The `tag` parameter of a From/To value, if the value parses and has one. */
export function tagOf(headerValue: string): string | undefined {
  const r = parseNameAddr(headerValue);
  if (!r.ok) return undefined;
  const tag = getParam(r.value.params, 'tag');
  return typeof tag === 'string' ? tag : undefined;
}
