// The phone's side of Digest (RFC 7616 §3.4), written apart from core/pbx/auth so tests do not
// check the server against itself.
import { createHash, randomBytes } from 'node:crypto';

export interface Challenge {
  realm: string;
  nonce: string;
  algorithm: string;
  qop?: string;
  stale: boolean;
  opaque?: string;
}

/** Every challenge in a list of WWW-Authenticate / Proxy-Authenticate values. */
export function readChallenges(values: readonly string[]): Challenge[] {
  return values.map((v) => {
    const p = (name: string) => new RegExp(`[\\s,]${name}=(?:"([^"]*)"|([^,\\s]+))`, 'i').exec(' ' + v.replace(/^\s*Digest\s+/i, ', '));
    const get = (name: string) => {
      const m = p(name);
      return m ? (m[1] ?? m[2]) : undefined;
    };
    return {
      realm: get('realm') ?? '',
      nonce: get('nonce') ?? '',
      algorithm: get('algorithm') ?? 'MD5',
      qop: get('qop'),
      stale: (get('stale') ?? '').toLowerCase() === 'true',
      opaque: get('opaque'),
    };
  });
}

const NODE: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

export interface AuthorizeOptions {
  method: string;
  uri: string;
  username: string;
  password: string;
  nc?: number;
  cnonce?: string;
  /** Send without qop/nc/cnonce (RFC 2069 style). */
  noQop?: boolean;
  /** Override any parameter (to send a broken or foreign credential). */
  override?: Record<string, string>;
}

/** An Authorization value answering `c`. */
export function authorize(c: Challenge, o: AuthorizeOptions): string {
  const hashName = NODE[c.algorithm.toUpperCase()] ?? 'md5';
  const H = (s: string) => createHash(hashName).update(s, 'utf8').digest('hex');
  const nc = (o.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = o.cnonce ?? randomBytes(8).toString('hex');
  const ha1 = H(`${o.username}:${c.realm}:${o.password}`);
  const ha2 = H(`${o.method}:${o.uri}`);
  const response = o.noQop ? H(`${ha1}:${c.nonce}:${ha2}`) : H(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const params: Record<string, string> = {
    username: `"${o.username}"`,
    realm: `"${c.realm}"`,
    nonce: `"${c.nonce}"`,
    uri: `"${o.uri}"`,
    response: `"${response}"`,
    algorithm: c.algorithm,
    ...(o.noQop ? {} : { qop: 'auth', nc, cnonce: `"${cnonce}"` }),
    ...o.override,
  };
  return 'Digest ' + Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
}
