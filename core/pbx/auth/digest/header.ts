// Parsing and writing the Digest credentials and challenges of (Proxy-)Authorization and
// (Proxy-|WWW-)Authenticate (RFC 3261 §25.1 digest-response, RFC 7616 §3.3/§3.4).

export interface AuthValue {
  /** Scheme as written ("Digest"). */
  scheme: string;
  /** Parameter names lower-cased; quoted values unquoted. */
  params: Map<string, string>;
}

/** RFC 3261 token characters by char code (a table: every byte of every credential is looked up). */
const TOKEN_CHAR = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~") TOKEN_CHAR[ch.charCodeAt(0)] = 1;
const MAX_VALUES = 16;

/**
 * Every credential in a header value. srf joins repeated header lines with commas, so a value
 * may hold several (`Digest a=1, b=2,Digest a=3`): a token not followed by `=` starts the next.
 * Never throws; gives up (returns what it has) at the first byte that fits no rule.
 */
export function parseAuthValues(input: string): AuthValue[] {
  const out: AuthValue[] = [];
  const r = new Reader(input);
  let cur: AuthValue | undefined;
  for (let guard = 0; guard < input.length + 1 && out.length <= MAX_VALUES; guard++) {
    r.skipSeparators();
    if (r.done()) break;
    const name = r.token();
    if (!name) break;
    if (!cur || !r.equalsFollows()) {
      cur = { scheme: name, params: new Map() };
      out.push(cur);
      continue;
    }
    const value = r.value();
    if (value === undefined) break;
    cur.params.set(name.toLowerCase(), value);
  }
  return out;
}

/** A cursor over one header value (methods on a class: no closures made per parse, and every REGISTER parses one). */
class Reader {
  private i = 0;

  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  skipSeparators(): void {
    const { s } = this;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t' || s[this.i] === ',' || s[this.i] === '\r' || s[this.i] === '\n')) this.i++;
  }

  token(): string {
    const start = this.i;
    while (this.i < this.s.length && TOKEN_CHAR[this.s.charCodeAt(this.i)] === 1) this.i++;
    return this.s.slice(start, this.i);
  }

  /** After a name: `=` follows (blanks allowed before it), and the cursor moves past it and its blanks; else it stays. */
  equalsFollows(): boolean {
    const { s } = this;
    let j = this.i;
    while (j < s.length && (s[j] === ' ' || s[j] === '\t')) j++;
    if (s[j] !== '=') return false;
    this.i = j + 1;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
    return true;
  }

  /** A token or a quoted string (unquoted); undefined for an unterminated quote. */
  value(): string | undefined {
    return this.s[this.i] === '"' ? this.quoted() : this.token();
  }

  private quoted(): string | undefined {
    const { s } = this;
    let v = '';
    this.i++; // opening quote
    while (this.i < s.length && s[this.i] !== '"') {
      if (s[this.i] === '\\' && this.i + 1 < s.length) this.i++; // quoted-pair
      v += s[this.i];
      this.i++;
    }
    if (this.i >= s.length) return undefined;
    this.i++; // closing quote
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
