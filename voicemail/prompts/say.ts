// Speaking numbers, digit strings and message counts from Asterisk's digits/ and letters/ files.
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
import { sayNumber as sayWholeNumber } from '../../core/pbx/dialplan-host/prompts.ts';
import { prompt } from './prompts.ts';

const SYMBOLS: Record<string, string> = {
  '*': 'digits/star',
  '#': 'digits/pound',
  '.': 'letters/dot',
  '-': 'letters/dash',
  '_': 'letters/ascii95',
  '+': 'letters/plus',
  '@': 'letters/at',
};

/** Character by character ("1001" → one oh oh one, spoken as digits); unknown characters are skipped. */
export function sayDigits(s: string): PlayItem[] {
  const out: PlayItem[] = [];
  for (const ch of s.slice(0, 64).toLowerCase()) {
    if (ch >= '0' && ch <= '9') out.push({ file: `digits/${ch}` });
    else if (ch >= 'a' && ch <= 'z') out.push({ file: `letters/${ch}` });
    else if (SYMBOLS[ch]) out.push({ file: SYMBOLS[ch] });
  }
  return out;
}

/** A whole number as words ("two hundred forty one"), as the dialplan's `say: 'number'` speaks it;
 *  one it cannot say (negative, fractional, a billion or more) digit by digit. */
export function sayNumber(n: number): PlayItem[] {
  return Number.isInteger(n) && n >= 0 && n < 1e9 ? sayWholeNumber(n) : sayDigits(String(Math.trunc(Math.abs(n))));
}

/** "You have two new messages and one old message" / "You have no messages". */
export function sayCounts(c: { newCount: number; oldCount: number }): PlayItem[] {
  const part = (n: number, kind: 'new' | 'old') => [...sayNumber(n), ...prompt(kind, n === 1 ? 'message' : 'messages')];
  if (c.newCount === 0 && c.oldCount === 0) return prompt('youhave', 'no', 'messages');
  const out = prompt('youhave');
  if (c.newCount > 0) out.push(...part(c.newCount, 'new'));
  if (c.newCount > 0 && c.oldCount > 0) out.push(...prompt('and'));
  if (c.oldCount > 0) out.push(...part(c.oldCount, 'old'));
  return out;
}
