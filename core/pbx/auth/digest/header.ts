// Parsing and writing the Digest credentials and challenges of (Proxy-)Authorization and
// (Proxy-|WWW-)Authenticate (RFC 3261 §25.1 digest-response, RFC 7616 §3.3/§3.4).

export interface AuthValue {
  /** Scheme as written ("Digest"). */
  scheme: string;
  /** Parameter names lower-cased; quoted values unquoted. */
  params: Map<string, string>;
}

const TOKEN_CHAR = /[A-Za-z0-9\-.!%*_+`'~]/;
const MAX_VALUES = 16;

/**
 * Every credential in a header value. srf joins repeated header lines with commas, so a value
 * may hold several (`Digest a=1, b=2,Digest a=3`): a token not followed by `=` starts the next.
 * Never throws; gives up (returns what it has) at the first byte that fits no rule.
 */
export function parseAuthValues(input: string): AuthValue[] {
  const out: AuthValue[] = [];
  let cur: AuthValue | undefined;
  let i = 0;
  const n = input.length;
  const skip = () => {
    while (i < n && (input[i] === ' ' || input[i] === '\t' || input[i] === ',' || input[i] === '\r' || input[i] === '\n')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(input[i]!)) i++;
    return input.slice(start, i);
  };
  for (let guard = 0; guard < n + 1 && out.length <= MAX_VALUES; guard++) {
    skip();
    if (i >= n) break;
    const name = token();
    if (!name) break;
    let j = i;
    while (j < n && (input[j] === ' ' || input[j] === '\t')) j++;
    if (input[j] !== '=' || !cur) {
      cur = { scheme: name, params: new Map() };
      out.push(cur);
      continue;
    }
    i = j + 1;
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    const value = input[i] === '"' ? quoted() : token();
    if (value === undefined) break;
    cur.params.set(name.toLowerCase(), value);
  }
  return out;

  function quoted(): string | undefined {
    let v = '';
    i++; // opening quote
    while (i < n && input[i] !== '"') {
      if (input[i] === '\\' && i + 1 < n) i++; // quoted-pair
      v += input[i];
      i++;
    }
    if (i >= n) return undefined;
    i++; // closing quote
    return v;
  }
}

export function quoteString(s: string): string {
  return `"${s.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
}

export interface ChallengeFields {
  realm: string;
  nonce: string;
  algorithm: string;
  stale: boolean;
}

/** One challenge; `qop="auth"` always (RFC 7616 requires qop, and it enables the nc replay check). */
export function formatChallenge(f: ChallengeFields): string {
  const parts = [`realm=${quoteString(f.realm)}`, `nonce=${quoteString(f.nonce)}`, `algorithm=${f.algorithm}`, 'qop="auth"'];
  if (f.stale) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

/** RFC 7616 §3.4.4 `username*=UTF-8''%c3%a4…`; undefined when not that form. */
export function decodeExtValue(v: string): string | undefined {
  const m = /^UTF-8'[^']*'(.*)$/i.exec(v);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}
