// Header-name normalisation (RFC 3261 §7.3.3 compact forms, §7.3.1 case-insensitivity).

const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  r: 'refer-to',
  b: 'referred-by',
  a: 'accept-contact',
  u: 'allow-events',
  x: 'session-expires',
  y: 'identity',
  d: 'request-disposition',
  j: 'reject-contact',
};

const cache = new Map<string, string>();

/** Lower-case long form of a header name: `V` → `via`, `Call-ID` → `call-id`. */
export function canonicalHeaderName(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const lower = name.toLowerCase();
  // hasOwn, not `??`: a header named `constructor` or `__proto__` must not hit Object.prototype.
  const canon = Object.hasOwn(COMPACT, lower) ? (COMPACT[lower] as string) : lower;
  if (cache.size < 4096) cache.set(name, canon);
  return canon;
}

/** Spelling we use when we write a header we generated ourselves. */
const PRETTY: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  rack: 'RAck',
  rseq: 'RSeq',
  'mime-version': 'MIME-Version',
};

const prettyCache = new Map<string, string>();

export function prettyHeaderName(name: string): string {
  const hit = prettyCache.get(name);
  if (hit !== undefined) return hit;
  const canon = canonicalHeaderName(name);
  const pretty = Object.hasOwn(PRETTY, canon)
    ? (PRETTY[canon] as string)
    : canon.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
  if (prettyCache.size < 4096) prettyCache.set(name, pretty);
  return pretty;
}

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1), so several lines may be
 * joined and one line may hold several values. Others (e.g. WWW-Authenticate, Date) contain commas
 * that are not separators.
 */
export const LIST_HEADERS = new Set([
  'via', 'route', 'record-route', 'contact', 'allow', 'supported', 'require', 'proxy-require',
  'unsupported', 'accept', 'accept-encoding', 'accept-language', 'content-encoding', 'allow-events',
  'path', 'service-route', 'in-reply-to', 'alert-info', 'call-info', 'error-info', 'reason',
  'p-asserted-identity', 'security-client', 'security-server', 'security-verify', 'history-info',
]);
