// Test helpers: a MailboxStore on a real SQLite file and folder in a private temp dir, and WAV
// files of a given length (optionally with the lagging header a crash leaves behind).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDb, type TempDb } from '../../core/pbx/store/testing.ts';
import { wavHeader } from '../../core/media/player/wav.ts';
import { MailboxStore, type MailboxStoreOptions } from './mailbox-store.ts';

export interface TempVoicemail {
  t: TempDb;
  dir: string;
  store: MailboxStore;
  clock: { now(): number; set(ms: number): void };
  /** Close the database and build a new store on the same files (a restart). */
  restart(): MailboxStore;
  cleanup(): void;
}

export function tempVoicemail(opts: Partial<Omit<MailboxStoreOptions, 'dir' | 'clock'>> = {}): TempVoicemail {
  const t = tempDb();
  const dir = join(t.dir, 'voicemail');
  let now = 1_700_000_000_000;
  const clock = { now: () => now, set: (ms: number) => void (now = ms) };
  const make = () => new MailboxStore(t.db, { dir, clock, maxMessages: opts.maxMessages ?? 100, minMessageMs: opts.minMessageMs ?? 1000 });
  const v: TempVoicemail = {
    t,
    dir,
    store: make(),
    clock,
    restart() {
      t.reopen();
      v.store = make();
      return v.store;
    },
    cleanup: () => t.cleanup(),
  };
  return v;
}

/** 16-bit mono PCM: a 440 Hz tone of `ms`; `headerMs` writes a header that claims less (or more). */
export function wavBytes(ms: number, o: { rate?: number; headerMs?: number; extraBytes?: number } = {}): Buffer {
  const rate = o.rate ?? 8000;
  const n = Math.round((rate * ms) / 1000);
  const body = Buffer.alloc(n * 2 + (o.extraBytes ?? 0));
  for (let i = 0; i < n; i++) body.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const declared = o.headerMs === undefined ? n * 2 : Math.round((rate * o.headerMs) / 1000) * 2;
  return Buffer.concat([wavHeader(rate, declared), body]);
}

export function writeWav(path: string, ms: number, o?: Parameters<typeof wavBytes>[1]): void {
  writeFileSync(path, wavBytes(ms, o));
}
