// Dialplan prompts to media-server play items. A dialplan names sounds relative to the sound
// directories ('ivr/welcome', 'vm-intro'); absolute paths and '..' are refused so a dialplan cannot
// play files it has no business reading (other people's voicemail). Numbers, digits and dates are
// spoken with the Asterisk core sound set's digits/ files; text-to-speech goes through espeak-ng
// when it is installed, cached by text so a menu is synthesized once.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Prompt } from '@pbx/dialplan';
import type { PlayItem } from '../calls/media-call.ts';

export class PromptError extends Error {}

export interface PromptOptions {
  /** Where synthesized speech is cached. */
  ttsDir: string;
  /** espeak-ng binary; undefined: text-to-speech is unavailable. */
  espeak: string | undefined;
}

export async function toPlayItems(prompts: readonly Prompt[], o: PromptOptions): Promise<PlayItem[]> {
  const out: PlayItem[] = [];
  for (const p of prompts) {
    if (typeof p === 'string') out.push({ file: soundName(p) });
    else if ('file' in p) out.push({ file: soundName(p.file) });
    else if ('tts' in p) out.push({ file: await synthesize(p.tts, p.voice, o) });
    else if (p.say === 'digits') out.push(...sayDigits(String(p.value)));
    else if (p.say === 'number') out.push(...sayNumber(Number(p.value)));
    else out.push(...sayDate(p.value));
  }
  return out;
}

function soundName(name: string): string {
  if (name.startsWith('/') || name.split(/[\\/]/).includes('..') || name.includes('\0') || name === '') {
    throw new PromptError(`prompt '${name}' is not a sound name (absolute paths and '..' are not allowed)`);
  }
  return name;
}

const KEY_FILES: Record<string, string> = { '*': 'digits/star', '#': 'digits/pound' };

export function sayDigits(value: string): PlayItem[] {
  const items: PlayItem[] = [];
  for (const ch of value) {
    if (/[0-9]/.test(ch)) items.push({ file: `digits/${ch}` });
    else if (KEY_FILES[ch]) items.push({ file: KEY_FILES[ch] });
    else if (ch === '+') continue;
    else throw new PromptError(`cannot say '${ch}' as a digit`);
  }
  return items;
}

export function sayNumber(n: number): PlayItem[] {
  if (!Number.isInteger(n) || n < 0 || n >= 1e9) throw new PromptError(`can only say whole numbers from 0 to 999999999, not ${n}`);
  if (n === 0) return [{ file: 'digits/0' }];
  const items: PlayItem[] = [];
  const group = (v: number, unit: string | undefined) => {
    if (v === 0) return;
    items.push(...below1000(v));
    if (unit) items.push({ file: `digits/${unit}` });
  };
  group(Math.floor(n / 1e6), 'million');
  group(Math.floor((n % 1e6) / 1000), 'thousand');
  group(n % 1000, undefined);
  return items;
}

function below1000(n: number): PlayItem[] {
  const items: PlayItem[] = [];
  if (n >= 100) {
    items.push({ file: `digits/${Math.floor(n / 100)}` }, { file: 'digits/hundred' });
    n %= 100;
  }
  if (n > 20) {
    items.push({ file: `digits/${n - (n % 10)}` });
    n %= 10;
  }
  if (n > 0) items.push({ file: `digits/${n}` });
  return items;
}

/** Weekday, month and day ("Tuesday, March 3rd") of an ISO date, or of ms since the epoch (UTC). */
export function sayDate(value: string | number): PlayItem[] {
  const d = typeof value === 'number' ? new Date(value) : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(d.getTime())) throw new PromptError(`cannot say '${value}' as a date`);
  return [{ file: `digits/day-${d.getUTCDay()}` }, { file: `digits/mon-${d.getUTCMonth()}` }, { file: `digits/h-${d.getUTCDate()}` }];
}

async function synthesize(text: string, voice: string | undefined, o: PromptOptions): Promise<string> {
  if (!o.espeak) throw new PromptError('text-to-speech needs espeak-ng (apt-get install espeak-ng)');
  if (voice !== undefined && !/^[A-Za-z0-9_+-]{1,40}$/.test(voice)) throw new PromptError(`voice '${voice}' is not a voice name`);
  const key = createHash('sha256').update(`${voice ?? ''}\0${text}`).digest('hex').slice(0, 32);
  const file = join(o.ttsDir, `${key}.wav`);
  if (existsSync(file)) return file;
  mkdirSync(o.ttsDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // The text goes in as an argument after `--`, never through a shell.
  await new Promise<void>((resolve, reject) =>
    execFile(o.espeak!, ['-w', tmp, ...(voice ? ['-v', voice] : []), '--', text], { timeout: 20_000 }, (err) =>
      err ? reject(new PromptError(`text-to-speech failed: ${err.message}`)) : resolve(),
    ),
  );
  renameSync(tmp, file);
  return file;
}

/** espeak-ng on PATH, if installed. */
export function findEspeak(): string | undefined {
  for (const p of ['/usr/bin/espeak-ng', '/usr/local/bin/espeak-ng']) if (existsSync(p)) return p;
  return undefined;
}
