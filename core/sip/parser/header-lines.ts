// The header section: `name HCOLON value CRLF`, with LWS folding (RFC 3261 §7.3.1).

import { type SipHeader } from './message.ts';
import { canonicalHeaderName } from './header-names.ts';
import { TOKEN, isWs, scan, skipWs } from './lex.ts';

/**
 * Index of the first empty line at or after `from` in a raw message: `headEnd` is where the
 * header section stops (its final line terminator excluded), `bodyStart` the first body byte.
 * CRLF and bare LF are both accepted as line ends. Undefined when there is no empty line.
 */
export function findHeaderEnd(buf: Uint8Array, from: number): { headEnd: number; bodyStart: number } | undefined {
  for (let p = buf.indexOf(10, from); p >= 0; p = buf.indexOf(10, p + 1)) {
    if (buf[p + 1] === 10) return { headEnd: p, bodyStart: p + 2 };
    if (buf[p + 1] === 13 && buf[p + 2] === 10) return { headEnd: p, bodyStart: p + 3 };
  }
  return undefined;
}

/**
 * Append the header lines of `head` (from index `pos`) to `out`. Continuation lines are joined
 * to the previous value with one SP. A broken line is skipped, not fatal, so that the caller
 * still gets Via/From/To/Call-ID/CSeq to answer with; the first fault is returned.
 */
export function readHeaderLines(head: string, pos: number, out: SipHeader[]): string | undefined {
  let fault: string | undefined;
  let last: SipHeader | undefined;
  // Found once and advanced, so LF-only input does not rescan the rest of the head per line.
  let cr = head.indexOf('\r', pos);
  while (pos < head.length) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    let end = nl;
    if (end > pos && head.charCodeAt(end - 1) === 13) end--;
    if (cr >= 0 && cr < pos) cr = head.indexOf('\r', pos);
    if (cr >= 0 && cr < end) fault ??= 'Bare CR in header section';
    const c0 = head.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) {
      const more = sliceTrimmed(head, pos, end);
      if (last === undefined) fault ??= 'Continuation line without a header';
      else if (more.length > 0) last.value = last.value.length > 0 ? `${last.value} ${more}` : more;
    } else {
      last = readHeaderLine(head, pos, end);
      if (last === undefined) fault ??= malformedLine(head, pos, end);
      else out.push(last);
    }
    pos = nl + 1;
  }
  return fault;
}

function readHeaderLine(head: string, pos: number, end: number): SipHeader | undefined {
  const nameEnd = scan(head, pos, TOKEN);
  if (nameEnd === pos || nameEnd > end) return undefined;
  const colon = skipWs(head, nameEnd);
  if (colon >= end || head.charCodeAt(colon) !== 58) return undefined;
  const rawName = head.slice(pos, nameEnd);
  return { rawName, name: canonicalHeaderName(rawName), value: sliceTrimmed(head, colon + 1, end) };
}

/** head[from..to) without surrounding SP/HTAB, cut once. */
function sliceTrimmed(head: string, from: number, to: number): string {
  while (from < to && isWs(head.charCodeAt(from))) from++;
  while (to > from && isWs(head.charCodeAt(to - 1))) to--;
  return head.slice(from, to);
}

function malformedLine(head: string, pos: number, end: number): string {
  const nameEnd = Math.min(scan(head, pos, TOKEN), end);
  if (nameEnd === pos) return 'Malformed header name';
  return `Missing colon after header name ${head.slice(pos, Math.min(nameEnd, pos + 64))}`;
}
