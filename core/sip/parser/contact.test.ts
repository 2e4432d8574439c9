import { describe, expect, it } from 'vitest';
import { expiresParam, parseContacts, qParam } from './contact.ts';
import { type NameAddr, parseNameAddr } from './name-addr.ts';

const na = (s: string): NameAddr => {
  const r = parseNameAddr(s);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseContacts', () => {
  it('reads several contacts of one line', () => {
    const r = parseContacts('"A, B" <sip:a@h1>;q=0.7;expires=60, sip:b@h2;expires=0 , <sips:[2001:db8::1]>');
    if (!r.ok || r.value === '*') throw new Error('expected contacts');
    expect(r.value.map((c) => c.uri)).toEqual(['sip:a@h1', 'sip:b@h2', 'sips:[2001:db8::1]']);
    expect(r.value[0]?.displayName).toBe('A, B');
  });

  it('returns * for the wildcard and refuses it inside a list', () => {
    expect(parseContacts(' * ')).toEqual({ ok: true, value: '*' });
    expect(parseContacts('*, <sip:a@b>').ok).toBe(false);
  });

  it('refuses empty elements and malformed values', () => {
    expect(parseContacts('<sip:a@b>,,<sip:c@d>').ok).toBe(false);
    expect(parseContacts('"Joe" <sip:joe@example.org>;;;;').ok).toBe(false);
    expect(parseContacts('').ok).toBe(false);
  });
});

describe('expiresParam', () => {
  it('reads delta-seconds', () => {
    expect(expiresParam(na('<sip:a@b>;expires=3600'))).toBe(3600);
    expect(expiresParam(na('<sip:a@b>;EXPIRES=0'))).toBe(0);
    expect(expiresParam(na('<sip:a@b>;expires=4294967295'))).toBe(4294967295);
  });

  it('is undefined when absent, malformed or over 2**32-1 (RFC 4475 scalar02)', () => {
    expect(expiresParam(na('<sip:a@b>'))).toBeUndefined();
    expect(expiresParam(na('<sip:a@b>;expires'))).toBeUndefined();
    expect(expiresParam(na('<sip:a@b>;expires=-1'))).toBeUndefined();
    expect(expiresParam(na('<sip:a@b>;expires=280297596632815'))).toBeUndefined();
  });
});

describe('qParam', () => {
  it('reads qvalues between 0 and 1', () => {
    expect(qParam(na('<sip:a@b>;q=0.33'))).toBe(0.33);
    expect(qParam(na('<sip:a@b>;q=1'))).toBe(1);
    expect(qParam(na('<sip:a@b>;q=1.000'))).toBe(1);
    expect(qParam(na('<sip:a@b>;q=0'))).toBe(0);
  });

  it('is undefined for out-of-range or malformed values', () => {
    for (const q of ['1.5', '2', '0.1234', 'x', '.5']) expect(qParam(na(`<sip:a@b>;q=${q}`)), q).toBeUndefined();
    expect(qParam(na('<sip:a@b>'))).toBeUndefined();
  });
});
