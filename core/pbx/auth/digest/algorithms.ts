// Digest hash functions (RFC 7616 §3.4, RFC 8760 for SIP): H, KD, HA1 and the request digest.
import { hash as oneShotHash } from 'node:crypto';

export const DIGEST_HASHES = ['MD5', 'SHA-256', 'SHA-512-256'] as const;
export type DigestHash = (typeof DIGEST_HASHES)[number];

/** The `algorithm` parameter: a hash, optionally the `-sess` variant. */
export interface DigestAlgorithm {
  hash: DigestHash;
  sess: boolean;
}

const NODE_NAME: Record<DigestHash, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** `MD5`, `sha-256-sess`, … (case-insensitive); an absent parameter means MD5 (RFC 2617 §3.2.1). */
export function parseAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return { hash: 'MD5', sess: false };
  const upper = token.toUpperCase();
  const sess = upper.endsWith('-SESS');
  const base = sess ? upper.slice(0, -5) : upper;
  const hash = DIGEST_HASHES.find((h) => h === base);
  return hash ? { hash, sess } : undefined;
}

export function formatAlgorithm(a: DigestAlgorithm): string {
  return a.sess ? `${a.hash}-sess` : a.hash;
}

/** H(data) as lower-case hex; strings are hashed as UTF-8 (RFC 7616 §4). */
export function digestHash(hash: DigestHash, data: string): string {
  // One-shot: no Hash object per call (three per digest check).
  return oneShotHash(NODE_NAME[hash], data, 'hex');
}

/** HA1 = H(username:realm:password), what the user store keeps instead of the password. */
export function ha1(hash: DigestHash, username: string, realm: string, password: string): string {
  return digestHash(hash, `${username}:${realm}:${password}`);
}

export interface DigestInput {
  method: string;
  uri: string;
  nonce: string;
  /** With qop=auth: the client nonce and the nonce count exactly as sent (8 hex digits). */
  cnonce?: string;
  nc?: string;
  qop?: 'auth';
}

/** The `response` value for a stored HA1 (RFC 7616 §3.4.1; RFC 2069 form without qop). */
export function digestResponse(algorithm: DigestAlgorithm, storedHa1: string, input: DigestInput): string {
  const h = (s: string) => digestHash(algorithm.hash, s);
  // -sess binds the key to this nonce and cnonce (RFC 7616 §3.4.2).
  const key = algorithm.sess ? h(`${storedHa1}:${input.nonce}:${input.cnonce ?? ''}`) : storedHa1;
  const ha2 = h(`${input.method}:${input.uri}`);
  if (input.qop === 'auth') return h(`${key}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:auth:${ha2}`);
  return h(`${key}:${input.nonce}:${ha2}`);
}
