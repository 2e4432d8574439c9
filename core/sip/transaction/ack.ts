// ACK for a non-2xx final response, built by the transaction layer (RFC 3261 §17.1.1.3).
import { SipRequest, type SipResponse } from '../parser/message.ts';
import { parseCSeq, splitList } from '../parser/index.ts';

export function buildNon2xxAck(invite: SipRequest, res: SipResponse): SipRequest {
  const ack = new SipRequest('ACK', invite.uri);
  // "The ACK MUST contain a single Via header field, equal to the top Via of the original request."
  const via = invite.get('via');
  if (via !== undefined) ack.append('Via', firstOfList(via));
  ack.append('Max-Forwards', '70');
  for (const route of invite.getLines('route')) ack.append('Route', route);
  ack.append('From', invite.get('from') ?? '');
  // "The To header field in the ACK MUST equal the To header field in the response being acknowledged."
  ack.append('To', res.get('to') ?? invite.get('to') ?? '');
  ack.append('Call-ID', invite.get('call-id') ?? '');
  const cseq = parseCSeq(invite.get('cseq') ?? '');
  ack.append('CSeq', `${cseq.ok ? cseq.value.seq : 1} ACK`);
  return ack;
}

/** First element of a comma-separated header line (the top Via when several share a line). */
export function firstOfList(value: string): string {
  return splitList(value)[0] ?? value.trim();
}
