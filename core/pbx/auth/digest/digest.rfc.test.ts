// The worked examples of RFC 2617 §3.5 and RFC 7616 §3.9.1, through our hash functions and
// through the credential check the middleware uses.
import { describe, expect, it } from 'vitest';
import { digestResponse, ha1, parseAlgorithm } from './algorithms.ts';
import { parseAuthValues } from './header.ts';
import { verifyCredential } from './verify.ts';

describe('RFC 2617 §3.5 (MD5, qop=auth)', () => {
  const v = {
    user: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html',
    nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b', response: '6629fae49393a05397450978507c4ef1',
  };

  it('computes the example response', () => {
    const key = ha1('MD5', v.user, v.realm, v.password);
    expect(digestResponse({ hash: 'MD5', sess: false }, key, { method: v.method, uri: v.uri, nonce: v.nonce, nc: v.nc, cnonce: v.cnonce, qop: 'auth' })).toBe(v.response);
  });

  it('accepts the example Authorization header', () => {
    const header = `Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
      uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1",
      opaque="5ccc069c403ebaf9f0171e9517f40e41"`;
    const [cred] = parseAuthValues(header);
    const users = { ha1: (u: string, r: string) => (u === v.user && r === v.realm ? ha1('MD5', u, r, v.password) : undefined) };
    const verdict = verifyCredential({ params: cred!.params, method: 'GET', realm: v.realm, offered: ['MD5'], users });
    expect(verdict).toEqual({ kind: 'match', username: 'Mufasa', algorithm: 'MD5', nonce: v.nonce, nc: 1 });
  });
});

describe('RFC 7616 §3.9.1 (MD5 and SHA-256)', () => {
  const common = {
    user: 'Mufasa', realm: 'http-auth@example.org', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  const cases = [
    { algorithm: 'MD5', response: '8ca523f5e9506fed4657c9700eebdbec' },
    { algorithm: 'SHA-256', response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1' },
  ] as const;

  it.each(cases)('computes the $algorithm example response', ({ algorithm, response }) => {
    const alg = parseAlgorithm(algorithm)!;
    const key = ha1(alg.hash, common.user, common.realm, common.password);
    const got = digestResponse(alg, key, { method: common.method, uri: common.uri, nonce: common.nonce, nc: common.nc, cnonce: common.cnonce, qop: 'auth' });
    expect(got).toBe(response);
  });

  it.each(cases)('a wrong password does not give the $algorithm response', ({ algorithm, response }) => {
    const alg = parseAlgorithm(algorithm)!;
    const key = ha1(alg.hash, common.user, common.realm, 'Circle Of Life');
    expect(digestResponse(alg, key, { method: 'GET', uri: common.uri, nonce: common.nonce, nc: common.nc, cnonce: common.cnonce, qop: 'auth' })).not.toBe(response);
  });
});

describe('algorithm tokens (RFC 7616 §3.3, RFC 8760)', () => {
  it('reads hashes case-insensitively, with -sess, and MD5 when absent', () => {
    expect(parseAlgorithm(undefined)).toEqual({ hash: 'MD5', sess: false });
    expect(parseAlgorithm('sha-256')).toEqual({ hash: 'SHA-256', sess: false });
    expect(parseAlgorithm('SHA-512-256-sess')).toEqual({ hash: 'SHA-512-256', sess: true });
    expect(parseAlgorithm('AKAv1-MD5')).toBeUndefined();
  });

  it('gives the RFC 2069 form without qop', () => {
    const key = ha1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const a = digestResponse({ hash: 'MD5', sess: false }, key, { method: 'GET', uri: '/', nonce: 'n' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(digestResponse({ hash: 'MD5', sess: false }, key, { method: 'GET', uri: '/', nonce: 'n', nc: '00000001', cnonce: 'c', qop: 'auth' }));
  });
});
