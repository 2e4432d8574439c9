// CANCEL for a pending INVITE (RFC 3261 §9.1): "the Request-URI, Call-ID, To, the numeric part of
// CSeq, and From header fields in the CANCEL request MUST be identical to those in the request
// being cancelled, including tags", with a single Via equal to the INVITE's top Via.
import { SipRequest, parseCSeq } from '../parser/index.ts';
import { firstOfList } from './ack.ts';

export function buildCancel(invite: SipRequest): SipRequest {
  const c = new SipRequest('CANCEL', invite.uri);
  c.append('Via', firstOfList(invite.get('via') ?? ''));
  c.append('Max-Forwards', '70');
  for (const r of invite.getLines('route')) c.append('Route', r);
  c.append('From', invite.get('from') ?? '');
  c.append('To', invite.get('to') ?? '');
  c.append('Call-ID', invite.get('call-id') ?? '');
  const cseq = parseCSeq(invite.get('cseq') ?? '');
  c.append('CSeq', `${cseq.ok ? cseq.value.seq : 1} CANCEL`);
  return c;
}
