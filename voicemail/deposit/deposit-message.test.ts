// The deposit flow on a scripted caller, against the real store (SQLite file + WAV files) and
// the real user table: greetings by cause, what is kept when the caller or the PBX goes away.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { UserStore } from '../../core/pbx/store/users.ts';
import { createLogger } from '../../core/sip/util/logger.ts';
import { tempVoicemail, wavBytes, writeWav, type TempVoicemail } from '../store/testing.ts';
import { depositMessage, type DepositDeps } from './deposit-message.ts';
import { FakeMediaCall, type CallerStep } from './fake-media-call.ts';

let v: TempVoicemail | undefined;
afterEach(() => {
  v?.cleanup();
  v = undefined;
});

function setup(over: { maxMessages?: number } = {}) {
  const vm = (v = tempVoicemail({ maxMessages: over.maxMessages ?? 100, minMessageMs: 1000 }));
  const users = new UserStore(vm.t.db, { realm: 'pbx.test', now: () => 0 });
  users.add({ extension: '1001', password: 'password-1001' });
  users.add({ extension: '1009', password: 'password-1009', enabled: false });
  const logs: string[] = [];
  const config = configSchema.parse({}).voicemail;
  const deps = (): DepositDeps => ({ store: vm.store, users, log: createLogger('debug', 'vm', (l) => logs.push(l)), config });
  const call = (steps: CallerStep[]) => new FakeMediaCall('1002', steps, 'Bob');
  return { vm, users, logs, deps, call };
}

const SPOKEN_1001 = ['vm-theperson', 'digits/1', 'digits/0', 'digits/0', 'digits/1'];

describe('depositMessage', () => {
  it('busy (486): spoken default greeting, beep, records until #, stores the message and says goodbye', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ speak: 2500, reason: 'digit' }]);
    const r = await depositMessage(c, { mailbox: '1001', cause: 486, called: '1001' }, deps());
    expect(r.outcome).toBe('stored');
    expect(c.heard.items).toEqual([...SPOKEN_1001, 'vm-isonphone', 'vm-intro', 'tone:beep', '[record]', 'vm-msgsaved', 'vm-goodbye']);
    expect(c.heard.records[0]).toMatchObject({ maxMs: 180_000, silenceMs: 5000, beep: true, stopDigits: '#' });
    expect(c.hungUpBy).toBe('system');
    expect(c.remaining).toBe(0);

    const [m] = vm.store.list('1001');
    expect(m).toMatchObject({ mailbox: '1001', caller: '1002', callerName: 'Bob', called: '1001', cause: 486, durationMs: 2500, heard: false });
    expect(r.outcome === 'stored' && r.message).toEqual(m);
    expect(readFileSync(vm.store.audioPath(m!.id)!)).toEqual(wavBytes(2500));
    expect(c.heard.records[0]!.path).toBe(vm.store.audioPath(m!.id));
  });

  it('unavailable (408, 480, 503), unconditional (302) and no cause play the unavailable greeting', async () => {
    const { vm, deps, call } = setup();
    for (const cause of [408, 480, 503, 302, null]) {
      const c = call([{ speak: 1500, reason: 'silence' }]);
      await depositMessage(c, { mailbox: '1001', cause, called: '1001' }, deps());
      expect(c.heard.items.slice(0, 7), String(cause)).toEqual([...SPOKEN_1001, 'vm-isunavail', 'vm-intro']);
    }
    expect(vm.store.list('1001').map((m) => m.cause)).toEqual([null, 302, 503, 480, 408]);
  });

  it("plays the owner's recorded greeting for the cause (no intro after it), or their name in the default", async () => {
    const { vm, deps, call } = setup();
    vm.store.saveGreeting('1001', 'busy', wavBytes(1000));
    vm.store.saveGreeting('1001', 'name', wavBytes(1000));
    const busy = vm.store.greetingPath('1001', 'busy')!;
    const name = vm.store.greetingPath('1001', 'name')!;

    const c1 = call([{ speak: 1500, reason: 'digit' }]);
    await depositMessage(c1, { mailbox: '1001', cause: 486, called: '1001' }, deps());
    expect(c1.heard.items.slice(0, 3)).toEqual([busy, 'tone:beep', '[record]']);

    // No unavailable greeting recorded: the default, spoken with the recorded name.
    const c2 = call([{ speak: 1500, reason: 'digit' }]);
    await depositMessage(c2, { mailbox: '1001', cause: 302, called: '1001' }, deps());
    expect(c2.heard.items.slice(0, 5)).toEqual([name, 'vm-isunavail', 'vm-intro', 'tone:beep', '[record]']);

    vm.store.saveGreeting('1001', 'unavailable', wavBytes(1200));
    const c3 = call([{ speak: 1500, reason: 'digit' }]);
    await depositMessage(c3, { mailbox: '1001', cause: 408, called: '1001' }, deps());
    expect(c3.heard.items[0]).toBe(vm.store.greetingPath('1001', 'unavailable'));
    expect(vm.store.list('1001')).toHaveLength(3);
  });

  it('a key during the greeting skips to the beep', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ bargeIn: '#' }, { speak: 1200, reason: 'max' }]);
    expect((await depositMessage(c, { mailbox: '1001', cause: 486, called: '1001' }, deps())).outcome).toBe('stored');
    expect(vm.store.list('1001')[0]!.durationMs).toBe(1200);
    expect(c.remaining).toBe(0);
  });

  it('keeps what a caller said before hanging up mid-message', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ speak: 4000, reason: 'hangup' }]);
    const r = await depositMessage(c, { mailbox: '1001', cause: 408, called: '1001' }, deps());
    expect(r.outcome).toBe('stored');
    expect(c.heard.items.slice(-2)).toEqual(['tone:beep', '[record]']);
    expect(c.hungUpBy).toBe('caller');
    expect(vm.store.list('1001')[0]).toMatchObject({ durationMs: 4000, cause: 408 });
  });

  it('discards a message shorter than the minimum, file and row', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ speak: 600, reason: 'digit' }]);
    expect((await depositMessage(c, { mailbox: '1001', cause: 486, called: '1001' }, deps())).outcome).toBe('too-short');
    expect(c.heard.items.at(-1)).toBe('vm-goodbye');
    expect(vm.store.list('1001')).toEqual([]);
    expect(readdirSync(join(vm.dir, '1001'))).toEqual([]);
  });

  it('says so and hangs up for an unknown or disabled mailbox, and for a full one', async () => {
    const { vm, deps, call, logs } = setup({ maxMessages: 1 });
    for (const mailbox of ['2000', '1009', '../1001']) {
      const c = call([]);
      expect((await depositMessage(c, { mailbox, cause: 486, called: mailbox }, deps())).outcome).toBe('no-mailbox');
      expect(c.heard.items).toEqual(['vm-nobox', 'vm-goodbye']);
      expect(c.hungUpBy).toBe('system');
    }
    expect(existsSync(vm.dir)).toBe(false);

    await depositMessage(call([{ speak: 1500, reason: 'digit' }]), { mailbox: '1001', cause: 486, called: '1001' }, deps());
    const full = call([]);
    expect((await depositMessage(full, { mailbox: '1001', cause: 486, called: '1001' }, deps())).outcome).toBe('mailbox-full');
    expect(full.heard.items).toEqual(['vm-mailboxfull', 'vm-goodbye']);
    expect(vm.store.list('1001')).toHaveLength(1);
    expect(logs.some((l) => l.includes('mailbox 1001 is full'))).toBe(true);
  });

  it('stores nothing when the caller hangs up during the greeting', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ hangup: true }]);
    expect((await depositMessage(c, { mailbox: '1001', cause: 486, called: '1001' }, deps())).outcome).toBe('caller-left');
    expect(c.heard.records).toEqual([]);
    expect(vm.t.db.prepare('SELECT count(*) AS n FROM voicemail_messages').get()).toEqual({ n: 0 });
  });

  it('keeps the audio flushed before the media server failed, with the header fixed', async () => {
    const { vm, deps, call, logs } = setup();
    const c = call([{ recordFails: 3000 }]);
    const r = await depositMessage(c, { mailbox: '1001', cause: 486, called: '1001' }, deps());
    expect(r.outcome).toBe('stored');
    const m = vm.store.list('1001')[0]!;
    expect(m.durationMs).toBe(3000);
    expect(readFileSync(vm.store.audioPath(m.id)!).readUInt32LE(40)).toBe(3000 * 16);
    expect(logs.some((l) => l.includes('WARN') && l.includes('media server connection lost'))).toBe(true);
  });

  it('a PBX killed during the recording: the message appears after restart with what reached the disk', async () => {
    const { vm, deps, call } = setup();
    const c = call([{ pbxDies: 7300, headerMs: 7000 }]);
    void depositMessage(c, { mailbox: '1001', cause: 480, called: '1001' }, deps());
    const path = await c.died;
    expect(vm.store.list('1001')).toEqual([]);

    const store = vm.restart();
    expect(store.recoverInterrupted()).toEqual({ recovered: 1, discarded: 0 });
    const [m] = store.list('1001');
    expect(m).toMatchObject({ caller: '1002', callerName: 'Bob', cause: 480, durationMs: 7300, heard: false });
    expect(store.audioPath(m!.id)).toBe(path);
    expect(readFileSync(path).readUInt32LE(40)).toBe(7300 * 16);
  });
});

// The fake the tests above rely on: strict about the script, real about the files.
describe('FakeMediaCall', () => {
  it('fails loudly when the flow asks for something the script did not expect', async () => {
    const c = new FakeMediaCall('1002', [{ speak: 1000, reason: 'digit' }]);
    await expect(c.collect({ max: 1, timeoutMs: 1, interDigitMs: 1 })).rejects.toThrow(/script expected/);
    const d = new FakeMediaCall('1002', []);
    expect((await d.collect({ max: 1, timeoutMs: 1, interDigitMs: 1 })).endedBy).toBe('hangup');
    const dir = tempVoicemail();
    try {
      const e = new FakeMediaCall('1002', [{ speak: 1000, reason: 'silence' }]);
      const path = join(dir.dir, 'x.wav');
      mkdirSync(dir.dir, { recursive: true });
      expect(await e.record({ path, maxMs: 500 })).toEqual({ durationMs: 500, reason: 'silence' });
      writeWav(join(dir.dir, 'y.wav'), 500);
      expect(readFileSync(path)).toEqual(readFileSync(join(dir.dir, 'y.wav')));
    } finally {
      dir.cleanup();
    }
  });
});
