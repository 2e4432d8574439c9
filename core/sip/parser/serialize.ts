// SipMessage → wire bytes (RFC 3261 §7).

import { type SipMessage } from './message.ts';

export function startLine(msg: SipMessage): string {
  return msg.kind === 'request'
    ? `${msg.method} ${noLineBreaks(msg.uri)} ${msg.version}`
    : `${msg.version} ${msg.status} ${noLineBreaks(msg.reason)}`;
}

/**
 * Headers go out in order as `rawName: value`. Content-Length always states the real body
 * size: the first existing one is rewritten in place, others are dropped, and one is appended
 * when missing, because a stale length would desynchronise a TCP peer.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let head = `${startLine(msg)}\r\n`;
  let wroteLength = false;
  for (const h of msg.headers) {
    if (h.name === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      head += `${h.rawName}: ${msg.body.length}\r\n`;
    } else {
      head += `${h.rawName}: ${noLineBreaks(h.value)}\r\n`;
    }
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  const headLen = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLen + msg.body.length);
  out.write(head, 0, 'utf8');
  out.set(msg.body, headLen);
  return out;
}

/**
 * A value or reason set by application code could carry CR/LF; written raw it would inject headers, so
 * each line break becomes one SP (what folding means anyway, §7.3.1).
 */
function noLineBreaks(v: string): string {
  if (v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
  return v.replace(/[\r\n]+[ \t]*/g, ' ');
}
