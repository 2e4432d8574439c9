// Speaking numbers, digit strings and message counts from Asterisk's digits/ and letters/ files.
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
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

/** A whole number 0..999999 as words ("two hundred forty one"); larger ones digit by digit. */
export function sayNumber(n: number): PlayItem[] {
  if (!Number.isInteger(n) || n < 0 || n > 999_999) return sayDigits(String(Math.trunc(Math.abs(n))));
  if (n === 0) return [{ file: 'digits/0' }];
  const out: PlayItem[] = [];
  if (n >= 1000) {
    out.push(...underThousand(Math.floor(n / 1000)), { file: 'digits/thousand' });
    n %= 1000;
  }
  out.push(...underThousand(n));
  return out;
}

function underThousand(n: number): PlayItem[] {
  const out: PlayItem[] = [];
  if (n >= 100) {
    out.push({ file: `digits/${Math.floor(n / 100)}` }, { file: 'digits/hundred' });
    n %= 100;
  }
  if (n >= 20) {
    out.push({ file: `digits/${n - (n % 10)}` });
    n %= 10;
  }
  if (n > 0) out.push({ file: `digits/${n}` });
  return out;
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
