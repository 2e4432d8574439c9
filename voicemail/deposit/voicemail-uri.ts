// RFC 4458 §3: the voicemail service learns whose mailbox and why from its Request-URI,
// e.g. sip:voicemail@pbx.test;target=sip:1001%40pbx.test;cause=486. The `target` value is the
// retargeted-from URI escaped as a URI parameter; its user part names the mailbox.
// The producer is dialplan/host/rfc4458.ts (voicemailRequestUri).
import { isMailboxName } from '../store/mailbox-name.ts';

export interface VoicemailTarget {
  mailbox: string;
  /** RFC 4458 cause (486 busy, 408 no reply, 302 unconditional, 480/487/503/404 unavailable); null if absent or malformed. */
  cause: number | null;
}

/** undefined when the URI carries no usable `target` (no mailbox to deposit into). */
export function parseVoicemailUri(requestUri: string): VoicemailTarget | undefined {
  const params = uriParams(requestUri.trim().replace(/^<(.*)>$/, '$1'));
  const target = params.get('target');
  if (target === undefined) return undefined;
  const mailbox = targetUser(target);
  if (mailbox === undefined || !isMailboxName(mailbox)) return undefined;
  const cause = params.get('cause');
  return { mailbox, cause: cause !== undefined && /^[1-6][0-9]{2}$/.test(cause) ? Number(cause) : null };
}

/** The URI parameters (after the host part, before any `?headers`), names lower-cased, values unescaped. */
function uriParams(uri: string): Map<string, string> {
  const out = new Map<string, string>();
  const beforeHeaders = uri.split('?', 1)[0]!;
  // A tel-style user part (`+1555;phone-context=x@host`) yields a junk "parameter" or two here,
  // which is harmless: only target and cause are looked at, and the first of each wins.
  const firstSemi = beforeHeaders.indexOf(';');
  if (firstSemi < 0) return out;
  for (const p of beforeHeaders.slice(firstSemi + 1).split(';').slice(0, 32)) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const value = unescape(eq < 0 ? '' : p.slice(eq + 1).trim());
    if (name && value !== undefined && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** User part of the target: `sip:1001@pbx.test;user=phone` → 1001, `tel:1001;phone-context=x` → 1001. */
function targetUser(target: string): string | undefined {
  const m = /^(sips?|tel):(.*)$/i.exec(target);
  if (!m) return undefined;
  const rest = m[2]!;
  const user = m[1]!.toLowerCase() === 'tel' ? rest.split(/[;?]/, 1)[0]! : rest.includes('@') ? rest.slice(0, rest.indexOf('@')).split(';', 1)[0]! : undefined;
  // The user part may carry its own escaping inside the parameter's.
  return user === undefined ? undefined : unescape(user);
}

function unescape(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
