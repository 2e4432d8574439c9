// Asterisk extension patterns (docs.asterisk.org, "Pattern Matching"): after a leading '_',
// X = 0-9, Z = 1-9, N = 2-9, [..] a set with ranges, '.' one or more characters, '!' zero or more;
// '-' is ignored as a visual separator. Without '_' the pattern is a literal extension.

const LITERAL = /^[0-9A-Za-z*#+]$/;

export function pattern(p: string): RegExp {
  if (typeof p !== 'string' || p === '') throw new TypeError('pattern: expected a non-empty string');
  if (!p.startsWith('_')) return new RegExp(`^${escape(p)}$`);
  let re = '';
  for (let i = 1; i < p.length; i++) {
    const c = p[i]!;
    switch (c.toUpperCase()) {
      case 'X': re += '[0-9]'; break;
      case 'Z': re += '[1-9]'; break;
      case 'N': re += '[2-9]'; break;
      case '.': re += '.+'; break;
      case '!': re += '.*'; break;
      case '-': break;
      case '[': {
        const end = p.indexOf(']', i);
        if (end < 0) throw new SyntaxError(`pattern '${p}': '[' without a closing ']'`);
        re += charClass(p, p.slice(i + 1, end));
        i = end;
        break;
      }
      default:
        if (!LITERAL.test(c)) throw new SyntaxError(`pattern '${p}': unexpected '${c}'`);
        re += escape(c);
    }
  }
  return new RegExp(`^${re}$`);
}

function charClass(p: string, body: string): string {
  if (!/^[0-9*#]([0-9*#]|-[0-9])*$/.test(body)) throw new SyntaxError(`pattern '${p}': bad set '[${body}]'`);
  return `[${body.replace(/[*#]/g, '\\$&')}]`;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True if `dialed` is a plain decimal number (no sign, no leading zero) within [lo, hi]. */
export function inRange(dialed: string, lo: number, hi: number): boolean {
  if (typeof dialed !== 'string' || !/^(0|[1-9][0-9]{0,14})$/.test(dialed)) return false;
  const n = Number(dialed);
  return n >= lo && n <= hi;
}
