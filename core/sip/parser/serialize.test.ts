import { describe, expect, it } from 'vitest';
import { SipRequest, SipResponse } from './message.ts';
import { serializeMessage, startLine } from './serialize.ts';
import { parseMessage } from './parse.ts';

function request(): SipRequest {
  return new SipRequest('OPTIONS', 'sip:bob@example.com')
    .append('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1')
    .append('t', '<sip:bob@example.com>')
    .append('From', '"Zoë" <sip:a@b>;tag=1')
    .append('Call-ID', 'c1')
    .append('CSeq', '1 OPTIONS');
}

describe('serializeMessage', () => {
  it('writes the start line and headers as rawName: value, then CRLF CRLF and the body', () => {
    const m = request();
    m.body = Buffer.from('héllo');
    expect(serializeMessage(m).toString()).toBe(
      'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nt: <sip:bob@example.com>\r\n' +
        'From: "Zoë" <sip:a@b>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 6\r\n\r\nhéllo',
    );
  });

  it('rewrites an existing Content-Length in place, keeping its spelling, and drops extra ones', () => {
    const m = request();
    m.headers.splice(1, 0, { rawName: 'l', name: 'content-length', value: '999' });
    m.append('Content-Length', '7');
    m.body = Buffer.from([1, 2, 3]);
    const text = serializeMessage(m).toString('latin1');
    expect(text.match(/^(l|Content-Length):.*$/gim)).toEqual(['l: 3']);
    expect(text.split('\r\n')[2]).toBe('l: 3');
  });

  it('folds CR/LF smuggled into values instead of injecting headers', () => {
    const m = request().append('Subject', 'hi\r\nX-Evil: 1');
    const r = parseMessage(serializeMessage(m));
    expect(r.ok && r.value.get('subject')).toBe('hi X-Evil: 1');
    expect(r.ok && r.value.has('x-evil')).toBe(false);
  });

  it('writes responses', () => {
    const res = new SipResponse(200, 'OK');
    expect(startLine(res)).toBe('SIP/2.0 200 OK');
    expect(serializeMessage(res).toString()).toBe('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
  });

  it('round-trips through parseMessage', () => {
    const m = request();
    m.body = Buffer.from([0, 255, 13, 10, 13, 10]);
    const r = parseMessage(serializeMessage(m));
    if (!r.ok) throw new Error(r.error);
    expect(startLine(r.value)).toBe(startLine(m));
    expect(r.value.headers.slice(0, -1)).toEqual(m.headers);
    expect(r.value.body.equals(m.body)).toBe(true);
  });
});
