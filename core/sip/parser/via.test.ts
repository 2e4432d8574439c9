import { describe, expect, it } from 'vitest';
import { formatVia, parseVia, parseViaList, viaBranch } from './via.ts';
import { getParam } from './params.ts';

describe('parseVia', () => {
  it('parses protocol, transport, sent-by and params', () => {
    const r = parseVia('SIP/2.0/udp pc33.example.com:5066;branch=z9hG4bK776asdhds;rport;received=192.0.2.1');
    expect(r).toEqual({
      ok: true,
      value: {
        protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.example.com', port: 5066,
        params: [['branch', 'z9hG4bK776asdhds'], ['rport', null], ['received', '192.0.2.1']],
      },
    });
  });

  it('accepts LWS around /, : and ; (RFC 4475 wsinv)', () => {
    const r = parseVia('SIP  /    2.0   / UDP  192.168.255.111 : 5060  ; branch= z9hG4bK30239');
    expect(r.ok && r.value).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.168.255.111', port: 5060 });
    expect(r.ok && viaBranch(r.value)).toBe('z9hG4bK30239');
  });

  it('handles IPv6 sent-by and received (RFC 5118)', () => {
    const r = parseVia('SIP/2.0/TCP [2001:db8::10]:5070;branch=z9hG4bKx;received=2001:db8::9');
    expect(r.ok && r.value).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(r.ok && getParam(r.value.params, 'received')).toBe('2001:db8::9');
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]').ok).toBe(true);
  });

  it('upper-cases any transport token, WS and WSS included', () => {
    for (const t of ['ws', 'wss', 'sctp', 'tls', 'UNKNOWN']) {
      const r = parseVia(`SIP/2.0/${t} h.example.com`);
      expect(r.ok && r.value.transport).toBe(t.toUpperCase());
    }
  });

  it.each([
    ['missing transport', 'SIP/2.0 host'],
    ['missing host', 'SIP/2.0/UDP'],
    ['no space before host', 'SIP/2.0/UDPhost'],
    ['empty params', 'SIP/2.0/UDP 192.0.2.15;;'],
    ['bad port', 'SIP/2.0/UDP host:99999'],
    ['junk after host', 'SIP/2.0/UDP host junk'],
    ['bad IPv6', 'SIP/2.0/UDP [zz::1]'],
    ['slash in host', 'SIP/2.0/UDP a/b'],
  ])('rejects %s', (_why, s) => {
    expect(parseVia(s).ok).toBe(false);
  });

  it('round-trips through formatVia', () => {
    for (const s of [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=5060;received=192.0.2.9',
      'SIP/2.0/TLS [2001:db8::10]:5061;branch=z9hG4bK-.!%66*_+`\'~',
      'SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKabc;maddr=[2001:db8::1]',
    ]) {
      const r = parseVia(s);
      expect(r.ok && formatVia(r.value)).toBe(s);
    }
  });

  it('normalises whitespace and case when formatting', () => {
    const r = parseVia('SIP / 2.0 / tcp host ; branch = z9hG4bK1');
    expect(r.ok && formatVia(r.value)).toBe('SIP/2.0/TCP host;branch=z9hG4bK1');
  });
});

describe('parseViaList', () => {
  it('splits a multi-value line', () => {
    const r = parseViaList('SIP/2.0/TCP a.example.com;branch=z9hG4bK1 ,  SIP/2.0/UDP b.example.com;branch=z9hG4bK2');
    expect(r.ok && r.value.map((v) => v.host)).toEqual(['a.example.com', 'b.example.com']);
  });

  it('rejects empty elements (RFC 4475 badinv01)', () => {
    expect(parseViaList('SIP/2.0/UDP 192.0.2.15,,').ok).toBe(false);
    expect(parseViaList('').ok).toBe(false);
  });
});
