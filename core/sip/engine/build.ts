// Message construction shared by the engine's UAS, UAC and proxy paths.
import { SipRequest, SipResponse } from '../parser/message.ts';
import { STATUS_TEXT } from './status-text.ts';
import { newBranch } from '../util/ids.ts';
import type { Listener } from '../transport/transport-layer.ts';

/** RFC 3261 §8.2.6.2: copy Via, From, To, Call-ID, CSeq (and add our To-tag when given). */
export function responseFor(req: SipRequest, status: number, reason?: string, toTag?: string): SipResponse {
  const res = new SipResponse(status, reason ?? STATUS_TEXT[status] ?? 'Unknown');
  for (const h of req.headers) {
    if (h.name === 'via' || h.name === 'from' || h.name === 'call-id' || h.name === 'cseq') {
      res.headers.push({ rawName: h.rawName, name: h.name, value: h.value });
    } else if (h.name === 'to') {
      const value = toTag && status > 100 && !/;\s*tag=/i.test(h.value) ? `${h.value};tag=${toTag}` : h.value;
      res.headers.push({ rawName: h.rawName, name: h.name, value });
    }
  }
  return res;
}

/** A response the engine originates on the app's behalf (408 on timeout, 503 on transport error). */
export function localResponse(req: SipRequest, status: number, reason?: string): SipResponse {
  const res = responseFor(req, status, reason);
  res.append('Content-Length', '0');
  return res;
}

export function viaFor(listener: Listener, branch = newBranch()): { value: string; branch: string } {
  return { value: `SIP/2.0/${listener.protocol.toUpperCase()} ${listener.advertised};rport;branch=${branch}`, branch };
}

export function contactFor(listener: Listener, user?: string): string {
  const transport = listener.protocol === 'udp' ? '' : `;transport=${listener.protocol}`;
  return `<sip:${user ? user + '@' : ''}${listener.advertised}${transport}>`;
}

export function newRequest(method: string, uri: string): SipRequest {
  return new SipRequest(method, uri);
}
