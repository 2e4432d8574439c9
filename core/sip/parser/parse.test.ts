import { describe, expect, it } from 'vitest';
import { type ParseOutcome, parseMessage } from './parse.ts';
import { SipRequest, SipResponse } from './message.ts';

const HEADERS = [
  'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 314159 INVITE',
];

function invite(headers: string[] = HEADERS, body = '', eol = '\r\n', start = 'INVITE sip:bob@example.com SIP/2.0'): Buffer {
  return Buffer.from([start, ...headers].join(eol) + eol + eol + body);
}
function ok(r: ParseOutcome): SipRequest | SipResponse {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}
function bad(r: ParseOutcome): Extract<ParseOutcome, { ok: false }> {
  if (r.ok) throw new Error('parsed');
  return r;
}
const without = (name: string) => HEADERS.filter((h) => !h.startsWith(`${name}:`));

describe('parseMessage: accepted input', () => {
  it('parses a request, keeping header order, spelling and values', () => {
    const m = ok(parseMessage(invite([...HEADERS, 'Content-Type: text/plain', 'Content-Length: 5'], 'hello')));
    expect(m).toBeInstanceOf(SipRequest);
    if (!(m instanceof SipRequest)) return;
    expect([m.method, m.uri, m.version]).toEqual(['INVITE', 'sip:bob@example.com', 'SIP/2.0']);
    expect(m.headers.map((h) => h.rawName)).toEqual(['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Content-Type', 'Content-Length']);
    expect(m.body.toString()).toBe('hello');
  });

  it('accepts bare LF line ends and skips leading CRLFs (§7.5)', () => {
    const m = ok(parseMessage(Buffer.concat([Buffer.from('\r\n\r\n'), invite(HEADERS, '', '\n')])));
    expect(m.get('call-id')).toBe('a84b4c76e66710@pc33.example.com');
  });

  it('maps compact forms, folds continuation lines with one SP and allows LWS before the colon', () => {
    const m = ok(parseMessage(invite([
      'v: SIP/2.0/UDP h;branch=z9hG4bK1', 't: <sip:bob@example.com>', 'f : <sip:a@b>;tag=1', 'i:x@y',
      'CSeq: 1', '\tINVITE', 'Subject:', 'X-Long: one', '   two  ', ' three', 'l: 0',
    ])));
    expect(m.get('via')).toBe('SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(m.headers.find((h) => h.name === 'from')?.rawName).toBe('f');
    expect(m.get('cseq')).toBe('1 INVITE');
    expect(m.get('subject')).toBe('');
    expect(m.get('x-long')).toBe('one two three');
  });

  it('keeps header names that are Object.prototype keys as plain names', () => {
    const m = ok(parseMessage(invite([...HEADERS, 'constructor: a', '__proto__: b', 'toString: c'])));
    expect(m.headers.slice(-3).map((h) => h.name)).toEqual(['constructor', '__proto__', 'tostring']);
    expect(m.get('__proto__')).toBe('b');
  });

  it('takes exactly Content-Length bytes and ignores trailing datagram octets (§18.3)', () => {
    const m = ok(parseMessage(invite([...HEADERS, 'Content-Length: 3'], 'abcdef')));
    expect(m.body.toString()).toBe('abc');
  });

  it('takes the rest of a datagram as body when Content-Length is missing', () => {
    expect(ok(parseMessage(invite(HEADERS, 'v=0\r\n'))).body.toString()).toBe('v=0\r\n');
  });

  it('separates headers from body at the first empty line, even in binary bodies', () => {
    const body = Buffer.from([0, 13, 10, 13, 10, 255]);
    const m = ok(parseMessage(Buffer.concat([invite([...HEADERS, 'Content-Length: 6']), body])));
    expect(m.body.equals(body)).toBe(true);
  });

  it('parses responses, including an empty reason', () => {
    const head = ['Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'To: <sip:a@b>;tag=9', 'From: <sip:a@b>;tag=1', 'Call-ID: c', 'CSeq: 2 BYE', 'Content-Length: 0'];
    const m = ok(parseMessage(invite(head, '', '\r\n', 'SIP/2.0 486 Busy Here')));
    expect(m instanceof SipResponse && [m.status, m.reason]).toEqual([486, 'Busy Here']);
    const e = ok(parseMessage(invite(head, '', '\r\n', 'SIP/2.0 180')));
    expect(e instanceof SipResponse && e.reason).toBe('');
  });

  it('accepts tel and sips Request-URIs', () => {
    ok(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE tel:+15551234 SIP/2.0')));
    ok(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE sips:bob@[2001:db8::1]:5061 SIP/2.0')));
  });

  it('on a stream frame requires Content-Length and an exact fit', () => {
    ok(parseMessage(invite([...HEADERS, 'Content-Length: 2'], 'ab'), { stream: true }));
    expect(bad(parseMessage(invite(HEADERS), { stream: true })).error).toBe('Missing Content-Length on stream transport');
    expect(bad(parseMessage(invite([...HEADERS, 'l: 1'], 'ab'), { stream: true })).error).toBe('Bytes after body on stream transport');
  });
});

describe('parseMessage: refused input', () => {
  it.each(['Via', 'From', 'To', 'Call-ID', 'CSeq'])('names a missing %s header', (name) => {
    const r = bad(parseMessage(invite(without(name))));
    expect([r.status, r.error, r.request]).toEqual([400, `Missing ${name} header`, undefined]);
  });

  it.each([
    ['Max-Forwards', 'Max-Forwards: 10'],
    ['Content-Type', 'Content-Type: a/b\nc: text/plain'],
    ['Call-ID', 'i: other@host'],
    ['To', 'T: <sip:x@y>'],
  ])('refuses a duplicate %s but keeps the request for the 400', (name, extra) => {
    const r = bad(parseMessage(invite([...HEADERS, ...extra.split('\n')])));
    expect([r.status, r.error]).toEqual([400, `Multiple ${name} headers`]);
    expect(r.request?.method).toBe('INVITE');
  });

  it.each([
    ['five', 'Bad Content-Length'],
    ['-999', 'Bad Content-Length'],
    ['99999999999999999999', 'Bad Content-Length'],
    ['1 2', 'Bad Content-Length'],
    ['100', 'Content-Length exceeds body'],
  ])('refuses Content-Length %j', (cl, error) => {
    expect(bad(parseMessage(invite([...HEADERS, `Content-Length: ${cl}`], 'short'))).error).toBe(error);
  });

  it.each([
    ['CSeq: 1 BYE', 'CSeq method does not match'],
    ['CSeq: x INVITE', 'Malformed CSeq header'],
    ['CSeq: 4294967296 INVITE', 'CSeq number too large'],
    ['Max-Forwards: ten', 'Malformed Max-Forwards header'],
    ['Call-ID: has space', 'Malformed Call-ID header'],
  ])('refuses %j', (line, error) => {
    const name = line.slice(0, line.indexOf(':'));
    expect(bad(parseMessage(invite([...without(name), line]))).error).toBe(error);
  });

  it('names the header that failed to parse', () => {
    expect(bad(parseMessage(invite([...without('From'), 'From: "unterminated <sip:a@b>']))).error).toMatch(/^Malformed From header/);
    expect(bad(parseMessage(invite([...without('Via'), 'Via: SIP/2.0/UDP']))).error).toMatch(/^Malformed Via header/);
    expect(bad(parseMessage(invite([...without('To'), 'To: <sip:bob@exa mple.com>']))).error).toMatch(/^Malformed To header/);
  });

  it('refuses header lines without a colon, bare CRs and orphan continuation lines', () => {
    const r = bad(parseMessage(invite([...HEADERS, 'Subject hello'])));
    expect([r.status, r.error]).toEqual([400, 'Missing colon after header name Subject']);
    expect(r.request).toBeDefined();
    expect(bad(parseMessage(invite([...HEADERS, 'X-A: 1\r2']))).error).toBe('Bare CR in header section');
    expect(bad(parseMessage(invite([' folded', ...HEADERS]))).error).toBe('Continuation line without a header');
    expect(bad(parseMessage(invite([...HEADERS, ': empty name']))).error).toBe('Malformed header name');
  });

  it('answers 505 for other SIP versions, with the request to answer from', () => {
    const r = bad(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE sip:bob@example.com SIP/3.0')));
    expect([r.status, r.request?.version]).toEqual([505, 'SIP/3.0']);
  });

  it('answers 416 for unsupported Request-URI schemes, 400 for malformed ones', () => {
    expect(bad(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE mailto:bob@example.com SIP/2.0'))).status).toBe(416);
    expect(bad(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE sip:bob@ SIP/2.0'))).status).toBe(400);
    expect(bad(parseMessage(invite(HEADERS, '', '\r\n', 'INVITE bob SIP/2.0'))).status).toBe(400);
  });

  it('cannot answer garbage, empty input or broken responses (status 0, no request)', () => {
    for (const input of ['', '\r\n\r\n', 'hello world\r\n\r\n', 'INVITE\r\n\r\n', 'SIP/2.0 99 Low\r\n\r\n', 'SIP/2.0 200\r\nVia: x\r\n\r\n', 'SIP/3.0 200 OK\r\n\r\n']) {
      const r = bad(parseMessage(Buffer.from(input)));
      expect([r.status, r.request], JSON.stringify(input)).toEqual([0, undefined]);
    }
  });

  it('refuses a datagram cut in the middle of the headers, and stream frames without the empty line', () => {
    const full = invite([...HEADERS, 'Content-Length: 0']).toString();
    expect(bad(parseMessage(Buffer.from(full.slice(0, -3)))).error).toBe('Missing empty line after headers');
    expect(bad(parseMessage(Buffer.from(full.slice(0, -2)), { stream: true })).error).toBe('Missing empty line after headers');
    ok(parseMessage(Buffer.from(full.slice(0, -2))));
  });
});
