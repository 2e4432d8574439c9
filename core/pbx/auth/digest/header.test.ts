import { describe, expect, it } from 'vitest';
import { decodeExtValue, formatChallenge, parseAuthValues, quoteString } from './header.ts';

describe('parseAuthValues', () => {
  it('reads tokens, quoted strings with escapes, and lower-cases names', () => {
    const [v] = parseAuthValues('Digest Username="a\\"b", realm="r, with comma", NC=0000000a,qop=auth');
    expect(v!.scheme).toBe('Digest');
    expect(Object.fromEntries(v!.params)).toEqual({ username: 'a"b', realm: 'r, with comma', nc: '0000000a', qop: 'auth' });
  });

  it('splits credentials that srf joined from two header lines', () => {
    const values = parseAuthValues('Digest realm="one", nonce="1",Digest realm="two", nonce="2"');
    expect(values.map((v) => v.params.get('realm'))).toEqual(['one', 'two']);
  });

  it('returns what it could read from broken input and never throws', () => {
    expect(parseAuthValues('')).toEqual([]);
    expect(parseAuthValues('Digest realm="unterminated')[0]!.params.size).toBe(0);
    for (const junk of ['=', '"', ',,,', 'Digest ===', 'Digest a="\\', '\u0000Digest a=b', 'Basic dXNlcjpwYXNz==']) {
      expect(() => parseAuthValues(junk)).not.toThrow();
    }
    let seed = 42; // fixed, so a failure reproduces
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 128;
    const rnd = () => String.fromCharCode(...Array.from({ length: 40 }, next));
    for (let i = 0; i < 1000; i++) expect(() => parseAuthValues('Digest ' + rnd())).not.toThrow();
  });
});

describe('formatChallenge', () => {
  it('writes realm, nonce, unquoted algorithm, qop and stale', () => {
    expect(formatChallenge({ realm: 'pbx.local', nonce: 'abc', algorithm: 'SHA-256', stale: true })).toBe(
      'Digest realm="pbx.local", nonce="abc", algorithm=SHA-256, qop="auth", stale=true',
    );
    expect(formatChallenge({ realm: 'r', nonce: 'n', algorithm: 'MD5', stale: false })).not.toContain('stale');
  });

  it('round-trips through the parser', () => {
    const [v] = parseAuthValues(formatChallenge({ realm: 'a "b"', nonce: 'n', algorithm: 'MD5', stale: false }));
    expect(v!.params.get('realm')).toBe('a "b"');
    expect(quoteString('x\\y')).toBe('"x\\\\y"');
  });
});

describe('decodeExtValue (username*, RFC 7616 §3.4.4)', () => {
  it('decodes UTF-8 percent-encoding', () => {
    expect(decodeExtValue("UTF-8''J%C3%A4s%C3%B8n%20Doe")).toBe('Jäsøn Doe');
    expect(decodeExtValue('plain')).toBeUndefined();
    expect(decodeExtValue("UTF-8''%E0%A4%A")).toBeUndefined();
  });
});
