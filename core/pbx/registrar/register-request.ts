// Reading a REGISTER into typed parts (RFC 3261 §10.2, §10.3 steps 5–6; RFC 5626 instance/reg-id).
// Anything malformed is a 400 here, before any binding is looked at.
import { expiresParam, getParam, parseContacts, parseCSeq, parseUri, qParam, unescapeUriPart, unquote } from '../../sip/parser/index.ts';
import type { SipRequestView, SipSource } from '../sip/context.ts';
import { SipError } from '../sip/sip-error.ts';
import { userOf } from '../aor.ts';

export interface ContactRequest {
  /** As written between <>, with its URI parameters. */
  uri: string;
  /** Binding identity: `+sip.instance` (with reg-id) if given, else the normalised URI. */
  key: string;
  /** The contact's own `expires` parameter. */
  expires: number | undefined;
  q: number | null;
  instance: string | null;
  regId: number | null;
}

export interface RegisterRequest {
  /** User part of the To URI: the extension whose AOR is being registered. */
  toUser: string;
  /** 'fetch': no Contact (list bindings); '*': remove all. */
  contacts: 'fetch' | '*' | ContactRequest[];
  expiresHeader: number | undefined;
  callId: string;
  cseq: number;
  source: SipSource;
  userAgent: string | null;
}

export function readRegister(req: SipRequestView): RegisterRequest {
  const toUser = userOf(req.get('To') ?? '');
  if (!toUser) throw new SipError(404, 'Not Found'); // §10.3 step 3: not an AOR of this domain
  const cseq = parseCSeq(req.get('CSeq') ?? '');
  if (!cseq.ok) throw new SipError(400, 'Malformed CSeq');
  return {
    toUser,
    contacts: readContacts(req.get('Contact')),
    expiresHeader: deltaSeconds(req.get('Expires')),
    callId: req.callId,
    cseq: cseq.value.seq,
    source: req.source,
    userAgent: req.get('User-Agent') ?? null,
  };
}

function readContacts(value: string | undefined): RegisterRequest['contacts'] {
  if (value === undefined || value.trim() === '') return 'fetch';
  const parsed = parseContacts(value);
  if (!parsed.ok) throw new SipError(400, 'Malformed Contact');
  if (parsed.value === '*') return '*';
  return parsed.value.map((na) => {
    const uri = parseUri(na.uri);
    if (!uri.ok || (uri.value.scheme !== 'sip' && uri.value.scheme !== 'sips')) throw new SipError(400, 'Contact Must Be a SIP URI');
    const instanceRaw = getParam(na.params, '+sip.instance');
    const instance = typeof instanceRaw === 'string' ? unquote(instanceRaw) : null;
    const regIdRaw = getParam(na.params, 'reg-id');
    const regId = typeof regIdRaw === 'string' && /^[0-9]{1,9}$/.test(regIdRaw) ? Number(regIdRaw) : null;
    const q = qParam(na);
    return {
      uri: na.uri,
      key: instance ? `instance:${instance}${regId !== null ? `;reg-id=${regId}` : ''}` : keyOfParsed(uri.value),
      expires: expiresParam(na),
      q: q ?? null,
      instance,
      regId,
    };
  });
}

/** Expires header: delta-seconds; a malformed value counts as absent (the default applies). */
function deltaSeconds(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*[0-9]{1,10}\s*$/.test(v)) return undefined;
  return Math.min(Number(v), 2 ** 32 - 1);
}

/** The parameters RFC 3261 §19.1.4 says take part in URI equality whenever either URI has them. */
const SIGNIFICANT = ['transport', 'user', 'ttl', 'method', 'maddr'];

/** Normalised URI for binding identity (§19.1.4 equality, without the rarely used parts). */
export function uriKey(raw: string): string {
  const u = parseUri(raw);
  return u.ok ? keyOfParsed(u.value) : raw;
}

type ParsedUri = Extract<ReturnType<typeof parseUri>, { ok: true }>['value'];

function keyOfParsed(u: ParsedUri): string {
  const { scheme, user, host, port, params } = u;
  const sig = SIGNIFICANT.map((n) => [n, getParam(params, n)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([n, v]) => `;${n}${v === null ? '' : `=${v!.toLowerCase()}`}`)
    .join('');
  return `${scheme}:${user ? `${unescapeUriPart(user)}@` : ''}${host.toLowerCase()}${port !== undefined ? `:${port}` : ''}${sig}`;
}
