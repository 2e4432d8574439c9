// Addresses-of-record: one domain, so `sip:1001@<any host>` and `1001` all mean `sip:1001@domain`.
import { parseNameAddr, parseUri, unescapeUriPart } from '../sip/parser/index.ts';

export function aorFor(extension: string, domain: string): string {
  return `sip:${extension}@${domain}`;
}

/** The user part of a SIP URI, name-addr or bare user; undefined if there is none. */
export function userOf(target: string): string | undefined {
  const t = target.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.includes('<')) return t && !/[@;\s]/.test(t) ? t : undefined;
  const na = parseNameAddr(t);
  const uri = parseUri(na.ok ? na.value.uri : t);
  if (!uri.ok || (uri.value.scheme !== 'sip' && uri.value.scheme !== 'sips') || !uri.value.user) return undefined;
  return unescapeUriPart(uri.value.user);
}

/** The AOR a URI or extension names in our domain, or undefined. */
export function normalizeAor(target: string, domain: string): string | undefined {
  const user = userOf(target);
  return user === undefined ? undefined : aorFor(user, domain);
}
