// Comma-separated header values (RFC 3261 §7.3.1).

import { trimWs } from './lex.ts';

/**
 * Split on commas that are outside quoted strings and `<…>`, trimming SP/HTAB around each item.
 * Empty items are kept (`a,,b` → ['a', '', 'b']) so strict callers such as Via can reject them;
 * an empty value gives [''].
 */
export function splitList(value: string): string[] {
  if (value.indexOf(',') < 0) return [trimWs(value)];
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      out.push(trimWs(value.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimWs(value.slice(start)));
  return out;
}
