// Raw bytes → SipRequest / SipResponse (RFC 3261 §7, §18.3), never throwing.

import { type SipMessage, SipRequest, SipResponse } from './message.ts';
import { findHeaderEnd, readHeaderLines } from './header-lines.ts';
import { isSupportedVersion, parseStartLine } from './start-line.ts';
import { type Fault, hasResponseHeaders, schemeFault, validateMessage } from './validate.ts';
import { parseBoundedInt } from './lex.ts';

export interface ParseOptions {
  /**
   * The buffer is one frame cut from a stream (TCP/TLS) by StreamFramer: Content-Length is
   * then mandatory and must cover the buffer exactly (§18.3).
   */
  stream?: boolean;
}

export type ParseOutcome =
  | { ok: true; value: SipMessage }
  | {
      ok: false;
      /** Names the fault precisely; meant to become the reason phrase of the error response. */
      error: string;
      /** 400, 505 or 416 for a request we can answer; 0 for responses and unreadable input. */
      status: number;
      /** The request as far as it was read, present only when an error response can be built. */
      request?: SipRequest;
    };

/** Bodies beyond this are refused as a bad Content-Length; transports cap size far lower. */
const MAX_CONTENT_LENGTH = 2 ** 31 - 1;

/**
 * Parse one message. The body is a view into `buf` (no copy), so the caller must not reuse
 * the buffer while the message lives. Leading CRLFs are skipped (§7.5).
 */
export function parseMessage(buf: Buffer, opts: ParseOptions = {}): ParseOutcome {
  try {
    return parse(buf, opts.stream === true);
  } catch (e) {
    // Defence in depth only: the fuzz test asserts this path is never taken.
    return { ok: false, error: `Internal parser error: ${e instanceof Error ? e.message : String(e)}`, status: 0 };
  }
}

function parse(buf: Buffer, stream: boolean): ParseOutcome {
  let start = 0;
  while (start < buf.length && (buf[start] === 13 || buf[start] === 10)) start++;
  if (start === buf.length) return { ok: false, error: 'Empty message', status: 0 };
  const end = findHeaderEnd(buf, start) ?? datagramEnd(buf, stream);
  const head = buf.toString('utf8', start, end?.headEnd ?? buf.length);
  let nl = head.indexOf('\n');
  if (nl < 0) nl = head.length;
  const line = head.slice(0, nl > 0 && head.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
  const sl = parseStartLine(line);
  if (!sl.ok) return { ok: false, error: sl.error, status: 0 };
  const s = sl.value;
  const msg = s.kind === 'request' ? new SipRequest(s.method, s.uri, s.version) : new SipResponse(s.status, s.reason, s.version);

  let fault: Fault | undefined;
  if (s.kind === 'request' && s.fault !== undefined) fault = { error: s.fault, status: 400 };
  else if (!isSupportedVersion(s.version)) fault = { error: 'SIP version not supported', status: 505 };
  const lineFault = readHeaderLines(head, nl + 1, msg.headers);
  if (lineFault !== undefined) fault ??= { error: lineFault, status: 400 };
  if (end === undefined) fault ??= { error: 'Missing empty line after headers', status: 400 };
  fault ??= validateMessage(msg);
  if (end !== undefined) fault ??= attachBody(msg, buf, end.bodyStart, stream);
  if (msg.kind === 'request') fault ??= schemeFault(msg);
  if (fault === undefined) return { ok: true, value: msg };

  if (msg.kind === 'response') return { ok: false, error: fault.error, status: 0 };
  const out: ParseOutcome = { ok: false, error: fault.error, status: fault.status };
  if (hasResponseHeaders(msg)) out.request = msg;
  return out;
}

/**
 * A datagram whose last header line is complete but lacks the empty line (RFC 4475 baddn is
 * archived that way) ends at the datagram boundary: accept it with an empty body. A stream
 * frame must have the empty line, and a datagram cut mid-line is truncated, not lenient.
 */
function datagramEnd(buf: Buffer, stream: boolean): { headEnd: number; bodyStart: number } | undefined {
  if (stream || buf[buf.length - 1] !== 10) return undefined;
  return { headEnd: buf.length - 1, bodyStart: buf.length };
}

/** §18.3: Content-Length frames the body; on a datagram without it, the body is the rest. */
function attachBody(msg: SipMessage, buf: Buffer, bodyStart: number, stream: boolean): Fault | undefined {
  const cl = msg.get('content-length');
  if (cl === undefined) {
    if (stream) return { error: 'Missing Content-Length on stream transport', status: 400 };
    msg.body = buf.subarray(bodyStart);
    return undefined;
  }
  if (!/^[0-9]+$/.test(cl)) return { error: 'Bad Content-Length', status: 400 };
  const len = parseBoundedInt(cl, 0, cl.length, MAX_CONTENT_LENGTH);
  if (len < 0) return { error: 'Bad Content-Length', status: 400 };
  if (bodyStart + len > buf.length) return { error: 'Content-Length exceeds body', status: 400 };
  // Extra octets after the body of a datagram are noise to ignore (RFC 4475 dblreq).
  if (stream && bodyStart + len < buf.length) return { error: 'Bytes after body on stream transport', status: 400 };
  msg.body = buf.subarray(bodyStart, bodyStart + len);
  return undefined;
}
