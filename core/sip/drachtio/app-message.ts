// Reading the SIP text an app sends in a `sip` frame. srf's text is not a valid SIP message on its
// own (no Via, perhaps no To or Call-ID, a JS-length Content-Length), so it gets a lenient reader:
// start line, `name: value` lines split on any CR/LF, and the body is everything after the blank line.

export interface AppHeader {
  name: string;
  value: string;
}

export type AppMessage =
  | { kind: 'request'; method: string; uri: string; headers: AppHeader[]; body: Buffer }
  | { kind: 'response'; status: number; reason: string; headers: AppHeader[]; body: Buffer };

export type AppMessageResult = { ok: true; value: AppMessage } | { ok: false; error: string };

const HEAD_END = Buffer.from('\r\n\r\n');

/** `bytes` is a frame body as received; the message's body is copied out of it. */
export function readAppMessage(bytes: Buffer): AppMessageResult {
  const sep = bytes.indexOf(HEAD_END);
  const head = bytes.toString('utf8', 0, sep < 0 ? bytes.length : sep);
  // A copy: the frame is a view into a socket read that must not live as long as a transaction.
  const body = sep < 0 || sep + 4 === bytes.length ? EMPTY : Buffer.from(bytes.subarray(sep + 4));
  const lines = splitLines(head);
  const start = lines[0] ?? '';
  const headers: AppHeader[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  if (start.startsWith('SIP/')) {
    const m = /^SIP\/2\.0 (\d{3})(?: (.*))?$/.exec(start);
    if (!m) return { ok: false, error: `invalid status line: ${start}` };
    return { ok: true, value: { kind: 'response', status: Number(m[1]), reason: m[2] ?? '', headers, body } };
  }
  const m = /^([A-Za-z!%*_+`'~.-]+) (\S+) SIP\/2\.0$/.exec(start);
  if (!m) return { ok: false, error: `invalid request-uri: ${start}` };
  return { ok: true, value: { kind: 'request', method: m[1]!.toUpperCase(), uri: m[2]!, headers, body } };
}

const EMPTY = Buffer.alloc(0);

/** Lines ended by CRLF, a lone CR or a lone LF. */
function splitLines(head: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c !== 13 && c !== 10) continue;
    out.push(head.slice(from, i));
    if (c === 13 && head.charCodeAt(i + 1) === 10) i++;
    from = i + 1;
  }
  out.push(head.slice(from));
  return out;
}
