// Via header values (RFC 3261 §20.42, §25.1; IPv6 per RFC 5118).

import { type Result, fail, ok } from './message.ts';
import { type Params, formatParams, getParam, parseHeaderParams } from './params.ts';
import { splitList } from './list.ts';
import { HOSTNAME, TOKEN, ipv6RefEnd, isWs, scan, skipWs } from './lex.ts';

export interface Via {
  /** Protocol name and version without the whitespace the grammar allows: `SIP/2.0`. */
  protocol: string;
  /** Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS or an extension token. */
  transport: string;
  /** sent-by host; an IPv6 reference keeps its brackets. */
  host: string;
  port?: number;
  params: Params;
}

/** One via-parm: `SIP / 2.0 / UDP host[:port] *(;param)`, LWS allowed around `/`, `:` and `;`. */
export function parseVia(s: string): Result<Via> {
  const name = expectToken(s, skipWs(s, 0));
  if (name < 0) return fail('Malformed Via protocol');
  const slash1 = skipWs(s, name);
  if (s.charCodeAt(slash1) !== 47) return fail('Malformed Via protocol');
  const vs = skipWs(s, slash1 + 1);
  const version = expectToken(s, vs);
  if (version < 0) return fail('Malformed Via protocol version');
  const slash2 = skipWs(s, version);
  if (s.charCodeAt(slash2) !== 47) return fail('Malformed Via protocol');
  const ts = skipWs(s, slash2 + 1);
  const transport = expectToken(s, ts);
  if (transport < 0) return fail('Malformed Via transport');
  const hs = skipWs(s, transport);
  if (hs === transport) return fail('Missing space before Via sent-by');
  const hostEnd = scanSentByHost(s, hs);
  if (hostEnd < 0) return fail('Malformed Via sent-by host');
  const via: Via = {
    protocol: `${s.slice(skipWs(s, 0), name)}/${s.slice(vs, version)}`,
    transport: s.slice(ts, transport).toUpperCase(),
    host: s.slice(hs, hostEnd),
    params: [],
  };
  let j = hostEnd;
  const colon = skipWs(s, j);
  if (s.charCodeAt(colon) === 58) {
    const ps = skipWs(s, colon + 1);
    j = ps;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    const port = j - ps >= 1 && j - ps <= 5 ? Number(s.slice(ps, j)) : NaN;
    if (!(port <= 65535)) return fail('Malformed Via port');
    via.port = port;
  }
  const r = parseHeaderParams(s, j);
  if (!r.ok) return fail(`Malformed Via parameter: ${r.error}`);
  if (skipWs(s, r.value.end) !== s.length) return fail('Unexpected text in Via');
  via.params = r.value.params;
  return ok(via);
}

/** Every via-parm of a (possibly comma-joined) Via line; empty elements are an error. */
export function parseViaList(value: string): Result<Via[]> {
  const out: Via[] = [];
  for (const item of splitList(value)) {
    if (item === '') return fail('Empty Via value');
    const v = parseVia(item);
    if (!v.ok) return v;
    out.push(v.value);
  }
  return ok(out);
}

export function viaBranch(v: Via): string | undefined {
  const b = getParam(v.params, 'branch');
  return typeof b === 'string' ? b : undefined;
}

export function formatVia(v: Via): string {
  const port = v.port !== undefined ? `:${v.port}` : '';
  return `${v.protocol}/${v.transport} ${v.host}${port}${formatParams(v.params)}`;
}

function expectToken(s: string, i: number): number {
  const end = scan(s, i, TOKEN);
  return end === i ? -1 : end;
}

function scanSentByHost(s: string, i: number): number {
  if (s.charCodeAt(i) === 91) return ipv6RefEnd(s, i);
  const end = scan(s, i, HOSTNAME);
  return end === i || (end < s.length && !isHostStop(s.charCodeAt(end))) ? -1 : end;
}

/** What may follow a host name: end, whitespace, `:` port or `;` parameters. */
function isHostStop(c: number): boolean {
  return isWs(c) || c === 58 || c === 59;
}
