// The checks every received message gets before the engine looks at it (RFC 3261 §8.1.1,
// §8.2, §16.3, §18.3). Only what routing a request or a response depends on is parsed here;
// every other header stays raw until someone asks for it.

import { type Result, type SipMessage, type SipRequest } from './message.ts';
import type { NameAddr } from './name-addr.ts';
import { checkUri, isAbsoluteUri, uriScheme } from './uri.ts';
import { checkAllVias, cseqOf, fromAddr, toAddr } from './views.ts';

export interface Fault {
  error: string;
  /** The status a UAS or proxy would answer with; the caller maps it to 0 for responses. */
  status: number;
}

const bad = (error: string): Fault => ({ error, status: 400 });

/** The headers validation reads, gathered in one pass over the header list. */
interface Gathered {
  via: string[];
  from?: string;
  to?: string;
  callId?: string;
  cseq?: string;
  maxForwards?: string;
  /** Name of the first single-valued header seen twice (RFC 4475 multi01, mcl01). */
  duplicate?: string;
}

/** §7.3.1: these are not list-valued, so a second line is an error, not a continuation. */
const SINGLE: Record<string, string> = {
  'call-id': 'Call-ID', cseq: 'CSeq', from: 'From', to: 'To', 'max-forwards': 'Max-Forwards',
  'content-length': 'Content-Length', 'content-type': 'Content-Type',
};

function gather(msg: SipMessage): Gathered {
  const g: Gathered = { via: [] };
  let seenLength = false;
  let seenType = false;
  for (const h of msg.headers) {
    let again = false;
    switch (h.name) {
      case 'via': g.via.push(h.value); break;
      case 'from': again = g.from !== undefined; g.from ??= h.value; break;
      case 'to': again = g.to !== undefined; g.to ??= h.value; break;
      case 'call-id': again = g.callId !== undefined; g.callId ??= h.value; break;
      case 'cseq': again = g.cseq !== undefined; g.cseq ??= h.value; break;
      case 'max-forwards': again = g.maxForwards !== undefined; g.maxForwards ??= h.value; break;
      case 'content-length': again = seenLength; seenLength = true; break;
      case 'content-type': again = seenType; seenType = true; break;
    }
    if (again) g.duplicate ??= SINGLE[h.name];
  }
  return g;
}

/** True when a response could be built: the five headers §8.2.6 copies are all present. */
export function hasResponseHeaders(msg: SipMessage): boolean {
  const g = gather(msg);
  return g.via.length > 0 && g.from !== undefined && g.to !== undefined && g.callId !== undefined && g.cseq !== undefined;
}

export function validateMessage(msg: SipMessage): Fault | undefined {
  const g = gather(msg);
  // §8.1.1: the minimum every request carries, and every response copies.
  if (g.via.length === 0) return bad('Missing Via header');
  if (g.from === undefined) return bad('Missing From header');
  if (g.to === undefined) return bad('Missing To header');
  if (g.callId === undefined) return bad('Missing Call-ID header');
  if (g.cseq === undefined) return bad('Missing CSeq header');
  if (g.duplicate !== undefined) return bad(`Multiple ${g.duplicate} headers`);
  if (!isCallId(g.callId)) return bad('Malformed Call-ID header');
  // Parsed through the message's views: the layers above read these same results.
  const cseq = cseqOf(msg)!;
  if (!cseq.ok) return bad(cseq.error);
  if (msg.kind === 'request' && cseq.value.method !== msg.method) return bad('CSeq method does not match');
  const addr = checkAddress(fromAddr(msg)!, 'From') ?? checkAddress(toAddr(msg)!, 'To');
  if (addr) return addr;
  if (g.maxForwards !== undefined && !isDigits(g.maxForwards, 9)) return bad('Malformed Max-Forwards header');
  const viaError = checkAllVias(msg, g.via);
  if (viaError !== undefined) return bad(`Malformed Via header: ${viaError}`);
  return msg.kind === 'request' ? checkRequestUri(msg) : undefined;
}

function isDigits(s: string, max: number): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Call-ID is `word ["@" word]`, but it is opaque and some UAs put `=` or other visible
 * characters in it; rejecting those would cost calls for no safety, so only empty values and
 * whitespace or control characters are refused.
 */
function isCallId(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) return false;
  }
  return true;
}

function checkAddress(r: Result<NameAddr>, pretty: string): Fault | undefined {
  if (!r.ok) return bad(`Malformed ${pretty} header: ${r.error}`);
  if (r.value.uri === '*') return bad(`Malformed ${pretty} header: wildcard`);
  const scheme = uriScheme(r.value.uri);
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') {
    const u = checkUri(r.value.uri);
    if ('error' in u) return bad(`Malformed ${pretty} header: ${u.error}`);
  }
  return undefined;
}

function checkRequestUri(req: SipRequest): Fault | undefined {
  const scheme = uriScheme(req.uri);
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') {
    const u = checkUri(req.uri);
    if ('error' in u) return bad(`Malformed Request-URI: ${u.error}`);
    // §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 escruri).
    if (u.headers) return bad('Request-URI must not contain headers');
    return undefined;
  }
  // RFC 4475 ltgtruri: `<sip:…>` has no valid scheme, so it is malformed, not unsupported.
  if (!isAbsoluteUri(req.uri)) return bad('Malformed Request-URI');
  return undefined;
}

/**
 * 416 for schemes we do not serve (§8.2.2.1; RFC 4475 unkscm, novelsc). Kept apart from
 * validateMessage because such a request is well-formed and is checked last.
 */
export function schemeFault(req: SipRequest): Fault | undefined {
  const scheme = uriScheme(req.uri);
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'tel') return undefined;
  return { error: 'Unsupported URI scheme', status: 416 };
}
