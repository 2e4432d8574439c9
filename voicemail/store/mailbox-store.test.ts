// MailboxStore on a real SQLite file and real WAV files: the message life cycle, the limits, the
// path checks, greetings, and recovery of recordings a crash cut short.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWav, wavHeader } from '../../core/media/player/wav.ts';
import { tempVoicemail, wavBytes, writeWav, type TempVoicemail } from './testing.ts';
import { WavFormatError } from './wav-file.ts';

let v: TempVoicemail | undefined;
afterEach(() => {
  v?.cleanup();
  v = undefined;
});

const setup = (opts?: Parameters<typeof tempVoicemail>[0]) => (v = tempVoicemail(opts));
const deposit = (vm: TempVoicemail, mailbox = '1001', ms = 2000, caller = '1002') => {
  const { id, path } = vm.store.beginMessage({ mailbox, caller, callerName: 'Bob', called: mailbox, cause: 486 });
  writeWav(path, ms);
  return { id, path, msg: vm.store.finishMessage(id, ms) };
};

describe('MailboxStore messages', () => {
  it('stores a deposited message as a row and a WAV under dir/<mailbox>/, unlisted until finished', () => {
    const vm = setup();
    const changed: string[] = [];
    vm.store.changed.on((m) => changed.push(m));
    const { id, path } = vm.store.beginMessage({ mailbox: '1001', caller: '1002', callerName: 'Bob', called: '1001', cause: 486 });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(path).toBe(join(vm.dir, '1001', `${id}.wav`));
    expect(existsSync(dirname(path))).toBe(true);
    expect(vm.store.list('1001')).toEqual([]);
    expect(vm.store.get(id)).toBeUndefined();
    expect(changed).toEqual([]);

    writeWav(path, 2500);
    const msg = vm.store.finishMessage(id, 2500);
    expect(msg).toEqual({
      id, mailbox: '1001', caller: '1002', callerName: 'Bob', called: '1001', cause: 486,
      receivedAt: 1_700_000_000_000, durationMs: 2500, heard: false,
    });
    expect(changed).toEqual(['1001']);
    expect(vm.store.list('1001')).toEqual([msg]);
    expect(vm.store.get(id)).toEqual(msg);
    expect(vm.store.audioPath(id)).toBe(path);
    expect(vm.store.counts('1001')).toEqual({ newCount: 1, oldCount: 0 });
    // Finishing twice (a late duplicate) changes nothing.
    expect(vm.store.finishMessage(id, 9999)).toEqual(msg);
    expect(changed).toEqual(['1001']);
  });

  it('discards a message shorter than the minimum, or whose file never appeared, row and file', () => {
    const vm = setup({ minMessageMs: 1000 });
    const changed: string[] = [];
    vm.store.changed.on((m) => changed.push(m));
    const short = vm.store.beginMessage({ mailbox: '1001', caller: '1002', called: '1001', cause: null });
    writeWav(short.path, 900);
    expect(vm.store.finishMessage(short.id, 900)).toBeUndefined();
    expect(existsSync(short.path)).toBe(false);
    const missing = vm.store.beginMessage({ mailbox: '1001', caller: '1002', called: '1001', cause: null });
    expect(vm.store.finishMessage(missing.id, 5000)).toBeUndefined();
    expect(vm.t.db.prepare('SELECT count(*) AS n FROM voicemail_messages').get()).toEqual({ n: 0 });
    expect(changed).toEqual([]);
  });

  it('lists ready messages of one mailbox newest first and counts new and heard ones', () => {
    const vm = setup();
    const a = deposit(vm, '1001');
    vm.clock.set(1_700_000_060_000);
    const b = deposit(vm, '1001');
    deposit(vm, '1002');
    vm.store.beginMessage({ mailbox: '1001', caller: '1003', called: '1001', cause: null }); // still recording
    expect(vm.store.list('1001').map((m) => m.id)).toEqual([b.id, a.id]);

    const changed: string[] = [];
    vm.store.changed.on((m) => changed.push(m));
    expect(vm.store.markHeard(a.id)).toBe(true);
    expect(vm.store.markHeard(a.id)).toBe(true); // no change: no event
    expect(vm.store.counts('1001')).toEqual({ newCount: 1, oldCount: 1 });
    expect(vm.store.get(a.id)?.heard).toBe(true);
    expect(vm.store.markHeard(a.id, false)).toBe(true);
    expect(vm.store.counts('1001')).toEqual({ newCount: 2, oldCount: 0 });
    expect(changed).toEqual(['1001', '1001']);
    expect(vm.store.markHeard('0'.repeat(32))).toBe(false);
  });

  it('deletes a message with its file and tells listeners', () => {
    const vm = setup();
    const { id, path } = deposit(vm);
    const changed: string[] = [];
    vm.store.changed.on((m) => changed.push(m));
    expect(vm.store.delete(id)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(vm.store.get(id)).toBeUndefined();
    expect(vm.store.audioPath(id)).toBeUndefined();
    expect(vm.store.delete(id)).toBe(false);
    expect(changed).toEqual(['1001']);
  });

  it('is full at maxMessages, counting messages still being recorded', () => {
    const vm = setup({ maxMessages: 2 });
    deposit(vm);
    expect(vm.store.isFull('1001')).toBe(false);
    vm.store.beginMessage({ mailbox: '1001', caller: '1003', called: '1001', cause: null });
    expect(vm.store.isFull('1001')).toBe(true);
    expect(vm.store.isFull('1002')).toBe(false);
  });

  it('never builds a path from a bad mailbox name or message id', () => {
    const vm = setup();
    for (const bad of ['../1001', '..', '.', 'a/b', '', 'x'.repeat(65), '1001\0']) {
      expect(() => vm.store.beginMessage({ mailbox: bad, caller: '1', called: bad, cause: null })).toThrow(/invalid mailbox/);
      expect(vm.store.list(bad)).toEqual([]);
      expect(() => vm.store.saveGreeting(bad, 'busy', wavBytes(1000))).toThrow(/invalid mailbox/);
    }
    const { id } = deposit(vm);
    for (const bad of ['../' + id, id.toUpperCase(), id + '.wav', '../../etc/passwd']) {
      expect(vm.store.get(bad)).toBeUndefined();
      expect(vm.store.audioPath(bad)).toBeUndefined();
      expect(vm.store.delete(bad)).toBe(false);
    }
    expect(vm.store.audioPath(id)!.startsWith(vm.dir + '/')).toBe(true);
  });
});

describe('MailboxStore recovery after a crash', () => {
  it('turns recordings left unfinished into messages, sized by the file, header fixed', () => {
    const vm = setup({ minMessageMs: 1000 });
    // The recorder flushed 2.5 s of audio but died before patching the header past 1 s, plus half a sample.
    const lagging = vm.store.beginMessage({ mailbox: '1001', caller: '1002', called: '1001', cause: 408 });
    writeWav(lagging.path, 2500, { headerMs: 1000, extraBytes: 1 });
    // Header never patched at all (0 bytes of data claimed).
    const unpatched = vm.store.beginMessage({ mailbox: '1001', caller: '1003', called: '1001', cause: 486 });
    writeWav(unpatched.path, 1500, { headerMs: 0 });
    const tooShort = vm.store.beginMessage({ mailbox: '1001', caller: '1004', called: '1001', cause: null });
    writeWav(tooShort.path, 400);
    const headerOnly = vm.store.beginMessage({ mailbox: '1002', caller: '1004', called: '1002', cause: null });
    writeFileSync(headerOnly.path, wavHeader(8000, 0));
    const noFile = vm.store.beginMessage({ mailbox: '1002', caller: '1005', called: '1002', cause: null });
    const truncatedHeader = vm.store.beginMessage({ mailbox: '1002', caller: '1006', called: '1002', cause: null });
    writeFileSync(truncatedHeader.path, wavHeader(8000, 0).subarray(0, 20));

    const store = vm.restart();
    const changed: string[] = [];
    store.changed.on((m) => changed.push(m));
    expect(store.recoverInterrupted()).toEqual({ recovered: 2, discarded: 4 });
    expect(changed).toEqual(['1001']);

    const byCaller = new Map(store.list('1001').map((m) => [m.caller, m]));
    expect([...byCaller.keys()].sort()).toEqual(['1002', '1003']);
    expect(byCaller.get('1002')!.durationMs).toBe(2500);
    expect(byCaller.get('1003')!.durationMs).toBe(1500);
    expect(byCaller.get('1002')!.cause).toBe(408);
    // A player now reads all of it: the header matches the data, the torn byte is gone.
    const fixed = readFileSync(lagging.path);
    expect(fixed.length).toBe(44 + 2500 * 16);
    expect(fixed.readUInt32LE(40)).toBe(2500 * 16);
    expect(fixed.readUInt32LE(4)).toBe(36 + 2500 * 16);
    expect(parseWav(fixed).samples.length).toBe(20_000);

    for (const gone of [tooShort, headerOnly, noFile, truncatedHeader]) {
      expect(existsSync(gone.path)).toBe(false);
      expect(store.get(gone.id)).toBeUndefined();
    }
    expect(store.list('1002')).toEqual([]);
    // A second start finds nothing left to do.
    expect(store.recoverInterrupted()).toEqual({ recovered: 0, discarded: 0 });
    expect(statSync(lagging.path).size).toBe(44 + 2500 * 16);
  });
});

describe('MailboxStore greetings', () => {
  it('saves an uploaded greeting and refuses formats the media server would have to convert', () => {
    const vm = setup();
    expect(vm.store.greetingPath('1001', 'busy')).toBeUndefined();
    vm.store.saveGreeting('1001', 'busy', wavBytes(1500, { rate: 16000 }));
    expect(vm.store.greetingPath('1001', 'busy')).toBe(join(vm.dir, '1001', 'greeting-busy.wav'));
    expect(vm.store.greetingPath('1001', 'unavailable')).toBeUndefined();

    const stereo = wavBytes(1000);
    stereo.writeUInt16LE(2, 22);
    const eightBit = wavBytes(1000);
    eightBit.writeUInt16LE(8, 34);
    const cdRate = wavBytes(1000);
    cdRate.writeUInt32LE(44100, 24);
    const cut = wavBytes(1000).subarray(0, 1000);
    expect(() => vm.store.saveGreeting('1001', 'name', stereo)).toThrow(/16-bit PCM mono.*got 2 channels/);
    expect(() => vm.store.saveGreeting('1001', 'name', eightBit)).toThrow(/got 8-bit/);
    expect(() => vm.store.saveGreeting('1001', 'name', cdRate)).toThrow(/got 44100 Hz/);
    expect(() => vm.store.saveGreeting('1001', 'name', cut)).toThrow(/cut short/);
    expect(() => vm.store.saveGreeting('1001', 'name', Buffer.from('ID3 not a wav at all'))).toThrow(WavFormatError);
    expect(() => vm.store.saveGreeting('1001', 'bogus' as 'name', wavBytes(1000))).toThrow(/unknown greeting kind/);
    expect(vm.store.greetingPath('1001', 'name')).toBeUndefined();

    expect(vm.store.deleteGreeting('1001', 'busy')).toBe(true);
    expect(vm.store.deleteGreeting('1001', 'busy')).toBe(false);
    expect(vm.store.greetingPath('1001', 'busy')).toBeUndefined();
  });

  it('installs a phone recording only once accepted, keeping the old greeting when it is too short', () => {
    const vm = setup({ minMessageMs: 1000 });
    const target = vm.store.greetingTarget('1001', 'unavailable');
    expect(target).not.toBe(join(vm.dir, '1001', 'greeting-unavailable.wav'));
    writeWav(target, 3000, { headerMs: 2000 });
    expect(vm.store.greetingPath('1001', 'unavailable')).toBeUndefined();
    expect(vm.store.greetingRecorded('1001', 'unavailable')).toBe(true);
    const installed = vm.store.greetingPath('1001', 'unavailable')!;
    expect(parseWav(readFileSync(installed)).samples.length).toBe(24_000);
    expect(existsSync(target)).toBe(false);

    writeWav(vm.store.greetingTarget('1001', 'unavailable'), 300);
    expect(vm.store.greetingRecorded('1001', 'unavailable')).toBe(false);
    expect(existsSync(target)).toBe(false);
    expect(parseWav(readFileSync(installed)).samples.length).toBe(24_000);
    // Nothing recorded at all (the caller hung up before the beep).
    expect(vm.store.greetingRecorded('1001', 'name')).toBe(false);
  });
});
