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

export function readAppMessage(text: string): AppMessageResult {
  const sep = text.indexOf('\r\n\r\n');
  const head = sep < 0 ? text : text.slice(0, sep);
  const body = sep < 0 ? Buffer.alloc(0) : Buffer.from(text.slice(sep + 4), 'utf8');
  const lines = head.split(/\r\n|\r|\n/);
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
