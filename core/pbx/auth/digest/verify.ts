// Checking one Digest credential against a stored HA1: a pure function from the header
// parameters to a verdict, so every branch is testable without SIP around it.
import { timingSafeEqual } from 'node:crypto';
import { type DigestHash, digestResponse, formatAlgorithm, parseAlgorithm } from './algorithms.ts';
import { decodeExtValue } from './header.ts';

export interface CredentialLookup {
  /** Stored HA1 of `username` in `realm` for `hash`; undefined if unknown, disabled or not provisioned. */
  ha1(username: string, realm: string, hash: DigestHash): string | undefined;
}

export type Verdict =
  /** The response matches: `nonce` and `nc` still need the replay check. */
  | { kind: 'match'; username: string; algorithm: string; nonce: string; nc: number | undefined }
  /** Unknown user or wrong password: counts as a failed attempt. */
  | { kind: 'mismatch'; username: string }
  /** Not answerable by us (algorithm or qop we did not offer, userhash): challenge again. */
  | { kind: 'unusable'; why: string }
  /** Required parameters missing or malformed: 400. */
  | { kind: 'malformed'; why: string };

export interface VerifyInput {
  params: ReadonlyMap<string, string>;
  method: string;
  realm: string;
  offered: readonly DigestHash[];
  users: CredentialLookup;
}

export function verifyCredential({ params, method, realm, offered, users }: VerifyInput): Verdict {
  const alg = parseAlgorithm(params.get('algorithm'));
  if (!alg || alg.sess || !offered.includes(alg.hash)) return { kind: 'unusable', why: `algorithm ${params.get('algorithm')}` };
  if (params.get('userhash')?.toLowerCase() === 'true') return { kind: 'unusable', why: 'userhash' };
  const star = params.get('username*');
  const username = star !== undefined ? decodeExtValue(star) : params.get('username');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (!username || !nonce || !uri || !response) return { kind: 'malformed', why: 'missing username, nonce, uri or response' };
  const qop = params.get('qop');
  let nc: number | undefined;
  if (qop !== undefined) {
    if (qop.toLowerCase() !== 'auth') return { kind: 'unusable', why: `qop ${qop}` };
    const ncText = params.get('nc') ?? '';
    if (!/^[0-9a-fA-F]{8}$/.test(ncText) || !params.get('cnonce')) return { kind: 'malformed', why: 'qop=auth needs nc (8 hex digits) and cnonce' };
    nc = Number.parseInt(ncText, 16);
  }
  const stored = users.ha1(username, realm, alg.hash);
  if (stored === undefined) return { kind: 'mismatch', username };
  const expected = digestResponse(alg, stored, {
    method,
    uri,
    nonce,
    ...(qop !== undefined ? { qop: 'auth' as const, nc: params.get('nc'), cnonce: params.get('cnonce') } : {}),
  });
  if (!sameHex(expected, response)) return { kind: 'mismatch', username };
  return { kind: 'match', username, algorithm: formatAlgorithm(alg), nonce, nc };
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(given.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
