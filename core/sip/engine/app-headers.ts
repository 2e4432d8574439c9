// Which app headers reach the wire and how (drachtio §3.11, drachtio.cpp `makeTags`).
import type { SipMessage } from '../parser/message.ts';
import { isToken } from '../parser/lex.ts';
import { canonicalHeaderName, prettyHeaderName } from '../parser/header-names.ts';
import type { AppHeader } from '../drachtio/app-message.ts';

/** The engine owns these; an app never sets them. */
const IMMUTABLE = new Set(['via', 'route', 'rseq', 'record-route', 'content-length']);
/** One instance only: the app's value replaces ours. */
const SINGLE = new Set([
  'from', 'to', 'call-id', 'cseq', 'contact', 'max-forwards', 'content-type', 'expires', 'min-expires',
  'user-agent', 'server', 'subject', 'rack', 'event', 'subscription-state', 'refer-to', 'referred-by',
  'replaces', 'session-expires', 'min-se', 'retry-after', 'organization', 'priority', 'date', 'allow',
  'supported', 'require', 'accept', 'p-asserted-identity', 'content-disposition', 'timestamp',
]);


export interface ApplyOptions {
  /** Canonical names to ignore in this context (e.g. response From/Call-ID/CSeq/Via). */
  ignore?: ReadonlySet<string>;
  /** Replace `localhost` in these headers with our advertised host:port. */
  localhostTo?: string;
}

const LOCALHOST_HEADERS = new Set(['from', 'to', 'contact', 'p-asserted-identity']);

/** Cased as the app typed X- headers; others Capitalized-After-Dash, as drachtio does. */
function wireName(name: string): string {
  return (name.charCodeAt(0) | 32) === 120 /* x */ && name.charCodeAt(1) === 45 /* - */ ? name : prettyHeaderName(name);
}

export function applyAppHeaders(msg: SipMessage, headers: readonly AppHeader[], opts: ApplyOptions = {}): void {
  const seen = new Set<string>();
  for (const h of headers) {
    if (!isToken(h.name) || h.value.indexOf('\n') >= 0 || h.value.indexOf('\r') >= 0) continue;
    const key = canonicalHeaderName(h.name);
    if (IMMUTABLE.has(key) || opts.ignore?.has(key)) continue;
    let value = h.value;
    if (opts.localhostTo && LOCALHOST_HEADERS.has(key) && value.includes('localhost')) value = value.replace(/@localhost\b|(?<=sips?:)localhost\b/g, (m) => (m.startsWith('@') ? '@' : '') + opts.localhostTo);
    if (SINGLE.has(key)) {
      // First app line replaces ours; further lines of the same name are appended.
      if (!seen.has(key)) msg.set(wireName(h.name), value);
      else msg.append(wireName(h.name), value);
    } else {
      msg.append(wireName(h.name), value);
    }
    seen.add(key);
  }
}

export function appHeader(headers: readonly AppHeader[], name: string): string | undefined {
  const key = canonicalHeaderName(name);
  for (const h of headers) if (canonicalHeaderName(h.name) === key) return h.value;
  return undefined;
}

export function looksLikeSdp(body: Buffer): boolean {
  return body.length >= 3 && body[0] === 0x76 && body[1] === 0x3d && body[2] === 0x30; // "v=0"
}
