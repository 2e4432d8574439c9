import { describe, expect, it } from 'vitest';
import { checkUri, formatUri, isAbsoluteUri, parseUri, unescapeUriPart, uriScheme } from './uri.ts';

describe('parseUri', () => {
  it('parses user, password, host, port, params and headers', () => {
    const r = parseUri('sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi&Priority=urgent');
    expect(r).toEqual({
      ok: true,
      value: {
        scheme: 'sip', user: 'alice', password: 'secret', host: 'example.com', port: 5070,
        params: [['transport', 'tcp'], ['lr', null]], headers: '?Subject=hi&Priority=urgent',
      },
    });
  });

  it('keeps IPv6 references with their brackets (RFC 5118)', () => {
    const r = parseUri('sips:[2001:db8::10]:5061;maddr=[2001:db8::1]');
    expect(r.ok && r.value).toMatchObject({ scheme: 'sips', host: '[2001:db8::10]', port: 5061, params: [['maddr', '[2001:db8::1]']] });
    expect(parseUri('sip:user@[::1]').ok).toBe(true);
  });

  it('lower-cases the scheme only', () => {
    const r = parseUri('SIP:Bob@Example.COM');
    expect(r.ok && [r.value.scheme, r.value.user, r.value.host]).toEqual(['sip', 'Bob', 'Example.COM']);
  });

  it('parses tel URIs with the number in user and no host', () => {
    const r = parseUri('tel:+1-201-555-0123;phone-context=example.com');
    expect(r.ok && r.value).toEqual({
      scheme: 'tel', user: '+1-201-555-0123', host: '', params: [['phone-context', 'example.com']], headers: '',
    });
  });

  it('keeps escapes as written and validates them', () => {
    const r = parseUri('sip:%61lice@host;n%61me=v%25');
    expect(r.ok && r.value.user).toBe('%61lice');
    expect(unescapeUriPart('%61lice')).toBe('alice');
    expect(unescapeUriPart('caf%C3%A9')).toBe('café');
    expect(parseUri('sip:bad%zzuser@host').ok).toBe(false);
    expect(parseUri('sip:user@host;p=%4').ok).toBe(false);
  });

  it.each([
    ['no scheme', 'example.com'],
    ['unsupported scheme', 'http://example.com'],
    ['empty host', 'sip:user@'],
    ['whitespace', 'sip:user@exa mple.com'],
    ['port too large', 'sip:host:65536'],
    ['empty port', 'sip:host:'],
    ['empty param', 'sip:host;;lr'],
    ['unterminated IPv6', 'sip:[2001:db8::1'],
    ['IPv6 without colons', 'sip:[abcd]'],
    ['angle brackets', '<sip:host>'],
    ['trailing garbage', 'sip:host>'],
    ['empty tel number', 'tel:;x=1'],
  ])('rejects %s', (_why, s) => {
    expect(parseUri(s).ok).toBe(false);
  });

  it.each([
    'sip:alice@example.com',
    'sips:alice:pw@example.com:5061;transport=tls;lr',
    'sip:[2001:db8::10]:5070;maddr=[2001:db8::1]?X=1',
    'sip:+1555@gw.example.net;user=phone',
    'sip:user;par=u%40example.net@example.com',
    'tel:+1-201-555-0123;phone-context=example.com',
    'sip:*97#@pbx.example.com',
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
  ])('round-trips %s', (s) => {
    const r = parseUri(s);
    expect(r.ok).toBe(true);
    if (r.ok) expect(formatUri(r.value)).toBe(s);
  });
});

describe('uriScheme / isAbsoluteUri', () => {
  it('recognises generic absolute URIs used in To/From/Contact', () => {
    expect(uriScheme('soap.beep://192.0.2.103:3002')).toBe('soap.beep');
    expect(uriScheme('<sip:x>')).toBeUndefined();
    expect(isAbsoluteUri('isbn:2983792873')).toBe(true);
    expect(isAbsoluteUri('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toBe(true);
    expect(isAbsoluteUri('sip:')).toBe(false);
    expect(isAbsoluteUri('sip: x')).toBe(false);
  });
});

describe('checkUri', () => {
  // Validation checks URIs without building them; it must judge exactly as parseUri does.
  const cases = [
    'sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi&Priority=urgent',
    'sip:alice@example.com', 'sips:[2001:db8::10]:5061;maddr=[2001:db8::1]', 'SIP:Bob@Example.COM',
    'sip:a%20b@host', 'sip:a%2@host', 'sip:host:65535', 'sip:host:65536', 'sip:host:', 'sip:host:123456',
    'sip:host;', 'sip:host;p=', 'sip:host;p=v;q', 'sip:host?', 'sip:host?h=v', 'sip:user?x@host', 'sip:@host',
    'sip:user@', 'sip:user:@host', 'sip:user:p%zz@host', 'sip:[::1', 'sip:host name', 'sip:host>',
    'tel:+1-201-555-0123;phone-context=example.com', 'tel:', 'sip', ':host', 'sip:host;lr;lr=1?a=b&c',
  ];
  it.each(cases)('agrees with parseUri on %s', (uri) => {
    const parsed = parseUri(uri);
    const checked = checkUri(uri);
    if (parsed.ok) expect(checked).toEqual({ headers: parsed.value.headers !== '' });
    else expect(checked).toEqual({ error: parsed.error });
  });
});
