// Request-Line and Status-Line (RFC 3261 §7.1, §7.2, §25.1).

import { type Result, fail, ok } from './message.ts';
import { isToken, isWs } from './lex.ts';

export type StartLine =
  | {
      kind: 'request';
      method: string;
      uri: string;
      version: string;
      /** Set when the line broke the grammar but method, URI and version could still be read. */
      fault?: string;
    }
  | { kind: 'response'; status: number; reason: string; version: string };

const VERSION = /^SIP\/[0-9]{1,3}\.[0-9]{1,3}$/i;

export function isSupportedVersion(v: string): boolean {
  return v.length === 7 && v.toUpperCase() === 'SIP/2.0';
}

/** Parse a start line; failure means we cannot even tell what the message was. */
export function parseStartLine(line: string): Result<StartLine> {
  const sp = line.indexOf(' ');
  const first = sp < 0 ? line : line.slice(0, sp);
  if (first.indexOf('/') >= 0) return parseStatusLine(line, first, sp);
  const strict = parseStrictRequestLine(line, sp);
  return strict ?? parseLooseRequestLine(line);
}

/** `Method SP Request-URI SP SIP-Version`, exactly one SP each (RFC 4475 lwsstart, trws). */
function parseStrictRequestLine(line: string, sp1: number): Result<StartLine> | undefined {
  if (sp1 <= 0) return undefined;
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) return undefined;
  const method = line.slice(0, sp1);
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (!isToken(method) || uri.length === 0 || !VERSION.test(version)) return undefined;
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c < 32 || c === 127) return undefined;
  }
  return ok({ kind: 'request', method, uri, version });
}

/**
 * Read a request line that breaks the SP rules, so the caller can still answer 400 with a
 * reason naming the fault (RFC 4475 §3.1.2.8–10 allow rejecting these as malformed).
 */
function parseLooseRequestLine(line: string): Result<StartLine> {
  const parts = line.split(/[ \t]+/).filter((p) => p.length > 0);
  const method = parts[0] ?? '';
  const version = parts[parts.length - 1] ?? '';
  if (parts.length < 3 || !isToken(method) || !VERSION.test(version)) return fail('Malformed start line');
  const uri = parts.slice(1, -1).join(' ');
  let fault = 'Malformed Request-Line';
  if (isWs(line.charCodeAt(line.length - 1))) fault = 'Trailing whitespace in Request-Line';
  else if (parts.length > 3) fault = 'Whitespace in Request-URI';
  else if (/ {2}|\t/.test(line)) fault = 'Extra whitespace in Request-Line';
  return ok({ kind: 'request', method, uri, version, fault });
}

/** `SIP-Version SP 3DIGIT SP Reason-Phrase`; the reason may be empty (RFC 4475 noreason). */
function parseStatusLine(line: string, version: string, sp: number): Result<StartLine> {
  if (!VERSION.test(version)) return fail('Malformed SIP version');
  if (sp < 0) return fail('Malformed Status-Line');
  const code = line.slice(sp + 1, sp + 4);
  const after = line.charCodeAt(sp + 4);
  // A liberal receiver accepts a missing SP after the code when the line ends there.
  if (!/^[1-6][0-9][0-9]$/.test(code) || !(Number.isNaN(after) || after === 32)) {
    return fail('Bad status code');
  }
  return ok({ kind: 'response', status: Number(code), reason: line.slice(sp + 5), version });
}
