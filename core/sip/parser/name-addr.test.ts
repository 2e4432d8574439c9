import { describe, expect, it } from 'vitest';
import { formatNameAddr, parseNameAddr, tagOf } from './name-addr.ts';

describe('parseNameAddr', () => {
  it('unquotes a quoted display name with escapes and keeps the raw spelling', () => {
    const r = parseNameAddr('"Quoted \\"name\\"" <sip:a@b>;tag=x');
    expect(r).toEqual({
      ok: true,
      value: { displayName: 'Quoted "name"', rawDisplayName: '"Quoted \\"name\\""', uri: 'sip:a@b', params: [['tag', 'x']] },
    });
  });

  it('accepts a token display name, with or without LWS before <', () => {
    expect(parseNameAddr('Alice Smith <sip:alice@example.com>')).toMatchObject({ ok: true, value: { displayName: 'Alice Smith' } });
    expect(parseNameAddr('caller<sip:caller@example.com>;tag=323')).toMatchObject({ ok: true, value: { displayName: 'caller' } });
  });

  it('gives the parameters after a bare addr-spec to the header (§20.10)', () => {
    const r = parseNameAddr('sip:a@b;tag=x;user=phone');
    expect(r.ok && r.value).toEqual({ uri: 'sip:a@b', params: [['tag', 'x'], ['user', 'phone']] });
  });

  it('allows LWS around ; and = (RFC 4475 wsinv)', () => {
    const r = parseNameAddr(' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');
    expect(r.ok && r.value).toEqual({ uri: 'sip:vivekg@chair-dnrc.example.com', params: [['tag', '1918181833n']] });
  });

  it('keeps quoted parameter values quoted', () => {
    const r = parseNameAddr('<sip:a@b>;+sip.instance="<urn:uuid:1234>";reg-id=1');
    expect(r.ok && r.value.params).toEqual([['+sip.instance', '"<urn:uuid:1234>"'], ['reg-id', '1']]);
  });

  it('accepts * (Contact wildcard) and non-SIP URIs', () => {
    expect(parseNameAddr('*')).toEqual({ ok: true, value: { uri: '*', params: [] } });
    expect(parseNameAddr('<http://www.example.com>;tag=3').ok).toBe(true);
    expect(parseNameAddr('<sip:[2001:db8::1]:5060>').ok).toBe(true);
  });

  it.each([
    ['unterminated quote', '"Mr. J. User <sip:j.user@example.com>'],
    ['non-token display name', 'Bell, Alexander <sip:a.g.bell@example.com>'],
    ['spaces inside <>', '"Watson, Thomas" < sip:t.watson@example.org >'],
    ['unterminated <', '<sip:a@b'],
    ['quoted name without <>', '"Joe" sip:joe@example.org'],
    ['headers in bare addr-spec', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E'],
    ['empty parameter', '"Joe" <sip:joe@example.org>;;;;'],
    ['garbage after <>', '<sip:a@b> junk'],
    ['no scheme', '<joe@example.org>'],
    ['empty', ''],
  ])('rejects %s', (_why, s) => {
    expect(parseNameAddr(s).ok).toBe(false);
  });
});

describe('formatNameAddr', () => {
  it.each([
    '"Quoted \\"name\\"" <sip:a@b>;tag=x',
    'Alice Smith <sip:alice@example.com>',
    '<sip:a@b;lr>;expires=60;q=0.5',
    '"" <sip:anonymous@anonymous.invalid>',
  ])('writes %s back unchanged', (s) => {
    const r = parseNameAddr(s);
    expect(r.ok && formatNameAddr(r.value)).toBe(s);
  });

  it('brackets a bare addr-spec so its parameters stay header parameters', () => {
    const r = parseNameAddr('sip:a@b;tag=1');
    expect(r.ok && formatNameAddr(r.value)).toBe('<sip:a@b>;tag=1');
  });

  it('quotes a display name changed by the caller', () => {
    const r = parseNameAddr('Alice <sip:a@b>');
    if (!r.ok) throw new Error(r.error);
    r.value.displayName = 'Bob "the" Builder';
    expect(formatNameAddr(r.value)).toBe('"Bob \\"the\\" Builder" <sip:a@b>');
  });
});

describe('tagOf', () => {
  it('returns the tag param, case-insensitively, or undefined', () => {
    expect(tagOf('<sip:a@b>;TAG=abc')).toBe('abc');
    expect(tagOf('sip:a@b')).toBeUndefined();
    expect(tagOf('<sip:a@b>;tag')).toBeUndefined();
    expect(tagOf('not an address')).toBeUndefined();
  });
});
