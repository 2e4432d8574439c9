// Voicemail by phone on a scripted caller, against the real store (SQLite file + WAV files), the
// real user table (scrypt PINs) and the user admin: login, the menus, greetings, PIN change.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../core/config/schema.ts';
import { parseWav } from '../../core/media/player/wav.ts';
import { SqliteBindingStore } from '../../core/pbx/store/bindings.ts';
import { UserStore } from '../../core/pbx/store/users.ts';
import { UserAdmin } from '../../core/pbx/users/user-admin.ts';
import { createLogger } from '../../core/sip/util/logger.ts';
import { depositMessage } from '../deposit/deposit-message.ts';
import { FakeMediaCall, type CallerStep } from '../deposit/fake-media-call.ts';
import { tempVoicemail, wavBytes, writeWav, type TempVoicemail } from '../store/testing.ts';
import { retrieveMessages, type RetrievalDeps } from './retrieve-messages.ts';

let v: TempVoicemail | undefined;
afterEach(() => {
  v?.cleanup();
  v = undefined;
});

function setup() {
  const vm = (v = tempVoicemail({ minMessageMs: 1000 }));
  const users = new UserStore(vm.t.db, { realm: 'pbx.test', now: () => 0 });
  users.add({ extension: '1001', password: 'password-1001', voicemailPin: '4321' });
  users.add({ extension: '1002', password: 'password-1002' });
  const admin = new UserAdmin({ users, bindings: new SqliteBindingStore(vm.t.db), domain: 'pbx.test' });
  const logs: string[] = [];
  const config = configSchema.parse({}).voicemail;
  const deps: RetrievalDeps = { store: vm.store, users, admin, log: createLogger('debug', 'vm', (l) => logs.push(l)), config };
  /** A message from `caller`, received at `at` seconds; `heard` ones are saved messages. */
  const message = (caller: string, at: number, heard = false) => {
    vm.clock.set(1_700_000_000_000 + at * 1000);
    const { id, path } = vm.store.beginMessage({ mailbox: '1001', caller, called: '1001', cause: 486 });
    writeWav(path, 1500);
    vm.store.finishMessage(id, 1500);
    if (heard) vm.store.markHeard(id);
    return { id, path };
  };
  const run = async (steps: CallerStep[], req: { mailbox?: string } = { mailbox: '1001' }, caller = '1001') => {
    const call = new FakeMediaCall(caller, steps);
    const result = await retrieveMessages(call, req, deps);
    return { call, result };
  };
  return { vm, users, deps, logs, message, run };
}

const key = (k: string): CallerStep => ({ keys: k });
/** The audio files played, in order (message WAVs are absolute paths). */
const audioPlayed = (c: FakeMediaCall) => c.heard.items.filter((i) => i.startsWith('/') && i.endsWith('.wav'));

describe('retrieveMessages: login', () => {
  it('*97: asks the PIN of the own mailbox, announces the counts and the main menu', async () => {
    const { message, run } = setup();
    message('1002', 1);
    message('1003', 2);
    message('1004', 3, true);
    const { call, result } = await run([key('4321'), key('#')]);
    expect(result).toEqual({ end: 'goodbye' });
    expect(call.heard.items).toEqual([
      'vm-password',
      'vm-youhave', 'digits/2', 'vm-INBOX', 'vm-messages', 'vm-and', 'digits/1', 'vm-Old', 'vm-message',
      'vm-onefor', 'vm-INBOX', 'vm-messages', 'vm-opts', 'vm-helpexit',
      'vm-goodbye',
    ]);
    expect(call.heard.collects[0]).toMatchObject({ terminators: '#', timeoutMs: 6000, interDigitMs: 4000 });
    expect(call.hungUpBy).toBe('system');
  });

  it('*98: asks the mailbox, then the PIN; a wrong PIN is logged and asked again', async () => {
    const { run, logs } = setup();
    const { call, result } = await run([key('1001'), key('0000'), key('1001'), key('4321'), key('#')], {}, '1002');
    expect(result).toEqual({ end: 'goodbye' });
    expect(call.heard.items.slice(0, 5)).toEqual(['vm-login', 'vm-password', 'vm-incorrect-mailbox', 'vm-password', 'vm-youhave']);
    const warns = logs.filter((l) => l.includes('WARN'));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatch(/wrong PIN for mailbox "1001" from 1002 \(call fake-call-1\), attempt 1 of 3/);
    expect(warns[0]).not.toContain('0000');
  });

  it('three wrong PINs: goodbye, hang up, every failure logged; an unknown mailbox sounds the same', async () => {
    const { run, logs } = setup();
    const own = await run([key('1111'), key('2222'), key('3333')]);
    expect(own.result).toEqual({ end: 'locked-out' });
    expect(own.call.heard.items).toEqual(['vm-password', 'vm-incorrect', 'vm-password', 'vm-incorrect', 'vm-password', 'vm-goodbye']);
    expect(own.call.hungUpBy).toBe('system');
    expect(logs.filter((l) => l.includes('WARN'))).toHaveLength(4);
    expect(logs.at(-1)).toMatch(/3 failed PIN attempts from 1001/);

    // 1002 has no PIN, 9999 does not exist, "1001" with no PIN typed: all just "login incorrect".
    const any = await run([key('1002'), key('1234'), key('9999'), key('1234'), key('1001'), { silent: true }], {}, '1003');
    expect(any.result).toEqual({ end: 'locked-out' });
    expect(any.call.heard.items).toEqual(['vm-login', 'vm-password', 'vm-incorrect-mailbox', 'vm-password', 'vm-incorrect-mailbox', 'vm-password', 'vm-goodbye']);
    expect(logs.at(-2)).toMatch(/no PIN entered for mailbox "1001"/);
  });

  it('a caller who hangs up at the PIN prompt ends the flow', async () => {
    const { run } = setup();
    const { call, result } = await run([{ hangup: true }]);
    expect(result).toEqual({ end: 'hangup' });
    expect(call.heard.collects).toHaveLength(0);
  });
});

describe('retrieveMessages: messages', () => {
  it('1 plays new messages oldest first and marks them heard; 6 next, 4 previous, 5 repeat', async () => {
    const { vm, message, run } = setup();
    const a = message('1002', 1);
    const b = message('1003', 2);
    const saved = message('1004', 0, true);
    const changed: string[] = [];
    vm.store.changed.on((m) => changed.push(m));
    const { call, result } = await run([key('4321'), key('1'), key('6'), key('6'), key('4'), key('5'), key('6'), key('#')]);
    expect(result).toEqual({ end: 'goodbye' });
    expect(audioPlayed(call)).toEqual([a.path, b.path, saved.path, b.path, b.path, saved.path]);
    // "first message", "message 2", "last message".
    const before = (p: string) => call.heard.items.slice(call.heard.items.indexOf(p) - 2, call.heard.items.indexOf(p));
    expect(before(a.path)).toEqual(['vm-first', 'vm-message']);
    expect(before(b.path)).toEqual(['vm-message', 'digits/2']);
    expect(before(saved.path)).toEqual(['vm-last', 'vm-message']);
    expect(vm.store.counts('1001')).toEqual({ newCount: 0, oldCount: 3 });
    expect(changed).toEqual(['1001', '1001']);
  });

  it('7 deletes the message (row and file) and plays the next; 9 saves it', async () => {
    const { vm, message, run } = setup();
    const a = message('1002', 1);
    const b = message('1003', 2);
    const { call } = await run([key('4321'), key('1'), key('7'), key('9'), key('#')]);
    expect(audioPlayed(call)).toEqual([a.path, b.path]);
    const items = call.heard.items;
    expect(items.slice(items.indexOf('vm-deleted'), items.indexOf(b.path) + 1)).toEqual(['vm-deleted', 'vm-first', 'vm-message', b.path]);
    expect(items.slice(items.indexOf('vm-saved') - 2, items.indexOf('vm-saved') + 2)).toEqual(['vm-message', 'digits/1', 'vm-saved', 'vm-nomore']);
    expect(vm.store.get(a.id)).toBeUndefined();
    expect(() => readFileSync(a.path)).toThrow(/ENOENT/);
    expect(vm.store.list('1001').map((m) => [m.id, m.heard])).toEqual([[b.id, true]]);
  });

  it('2 jumps to the saved messages; an empty mailbox says there are none', async () => {
    const { message, run } = setup();
    const empty = await run([key('4321'), key('1'), key('#')]);
    expect(empty.call.heard.items).toEqual([
      'vm-password', 'vm-youhave', 'vm-no', 'vm-messages', 'vm-opts', 'vm-helpexit', 'vm-youhave', 'vm-no', 'vm-messages', 'vm-opts', 'vm-helpexit', 'vm-goodbye',
    ]);
    message('1002', 1);
    const old = message('1003', 0, true);
    const { call } = await run([key('4321'), key('2'), key('#')]);
    expect(audioPlayed(call)).toEqual([old.path]);
  });

  it('skips a message deleted from the web pages while the caller listens', async () => {
    const { vm, message, run } = setup();
    const a = message('1002', 1);
    const b = message('1003', 2);
    const { call } = await run([key('4321'), { keys: '1', act: () => vm.store.delete(a.id) }, key('#')]);
    expect(audioPlayed(call)).toEqual([b.path]);
  });

  it('3 then 2 calls the sender back: the call stays up and the number is returned', async () => {
    const { message, run } = setup();
    message('1002', 1);
    const { call, result } = await run([key('4321'), key('1'), key('3'), key('2')]);
    expect(result).toEqual({ end: 'callback', mailbox: '1001', callback: '1002' });
    expect(call.heard.items.slice(-3)).toEqual(['vm-tocallback', 'vm-tohearenv', 'vm-starmain']);
    expect(call.isEnded).toBe(false);
  });

  it('3 then 3 reads the envelope; an anonymous sender cannot be called back', async () => {
    const { message, run } = setup();
    message('anonymous', 1);
    message('1002', 2);
    const { call, result } = await run([key('4321'), key('1'), key('3'), key('2'), key('*'), key('6'), key('3'), key('3'), key('#')]);
    expect(result).toEqual({ end: 'goodbye' });
    const items = call.heard.items;
    expect(items).toContain('unidentified-no-callback');
    // Envelope, then the message menu of the last message (previous, but no next).
    const env = items.slice(items.lastIndexOf('vm-received'), items.lastIndexOf('vm-prev') + 1);
    expect(env[1]).toMatch(/^digits\/day-[0-6]$/);
    expect(env.slice(-6)).toEqual(['vm-from-extension', 'digits/1', 'digits/0', 'digits/0', 'digits/2', 'vm-prev']);
    expect(items.slice(items.lastIndexOf('vm-prev'))).toEqual(['vm-prev', 'vm-advopts', 'vm-repeat', 'vm-delete', 'vm-savemessage', 'vm-helpexit', 'vm-goodbye']);
  });

  it('goes quiet: the menu is repeated maxMenuRepeats times, then goodbye', async () => {
    const { run } = setup();
    const { call, result } = await run([key('4321'), { silent: true }, { silent: true }, { silent: true }]);
    expect(result).toEqual({ end: 'goodbye' });
    expect(call.heard.items.filter((i) => i === 'vm-opts')).toHaveLength(3);
    expect(call.heard.items.at(-1)).toBe('vm-goodbye');
    expect(call.remaining).toBe(0);
  });

  it('a hang-up in the middle of a message leaves it heard and ends the flow', async () => {
    const { vm, message, run } = setup();
    const a = message('1002', 1);
    const { result } = await run([key('4321'), key('1'), { hangup: true }]);
    expect(result).toEqual({ end: 'hangup' });
    expect(vm.store.get(a.id)?.heard).toBe(true);
  });
});

describe('retrieveMessages: mailbox options', () => {
  it('0 1 records the unavailable greeting, which the next caller then hears', async () => {
    const { vm, deps, run } = setup();
    const { call } = await run([key('4321'), key('0'), key('1'), { speak: 2500, reason: 'digit' }, key('1'), key('*'), key('#')]);
    const items = call.heard.items;
    expect(items.slice(items.indexOf('vm-options'), items.indexOf('vm-msgsaved') + 2)).toEqual([
      'vm-options', 'vm-rec-unv', 'tone:beep', '[record]', 'vm-review', 'vm-msgsaved', 'vm-options',
    ]);
    const greeting = vm.store.greetingPath('1001', 'unavailable')!;
    expect(parseWav(readFileSync(greeting)).samples.length).toBe(20_000);
    expect(call.heard.records[0]).toMatchObject({ maxMs: 60_000, beep: true, stopDigits: '#' });

    const caller = new FakeMediaCall('1003', [{ speak: 1500, reason: 'digit' }]);
    await depositMessage(caller, { mailbox: '1001', cause: 480, called: '1001' }, deps);
    expect(caller.heard.items[0]).toBe(greeting);
  });

  it('review: 2 plays the take back, 3 records again; the accepted take replaces the busy greeting', async () => {
    const { vm, run } = setup();
    vm.store.saveGreeting('1001', 'busy', wavBytes(1000));
    const { call } = await run([
      key('4321'), key('0'), key('2'),
      { speak: 1200, reason: 'digit' }, key('2'), key('3'),
      { speak: 3000, reason: 'silence' }, key('1'),
      key('*'), key('#'),
    ]);
    const listened = call.heard.items[call.heard.items.indexOf('vm-review') + 1];
    expect(listened).toBe(call.heard.records[0]!.path);
    expect(parseWav(readFileSync(vm.store.greetingPath('1001', 'busy')!)).samples.length).toBe(24_000);
  });

  it('a take that is too short, or a hang-up at the review, are handled like Asterisk', async () => {
    const { vm, run } = setup();
    const short = await run([key('4321'), key('0'), key('3'), { speak: 300, reason: 'digit' }, key('1'), key('*'), key('#')]);
    expect(short.call.heard.items).toContain('vm-tooshort');
    expect(vm.store.greetingPath('1001', 'name')).toBeUndefined();

    const hungUp = await run([key('4321'), key('0'), key('3'), { speak: 2000, reason: 'digit' }, { hangup: true }]);
    expect(hungUp.result).toEqual({ end: 'hangup' });
    expect(vm.store.greetingPath('1001', 'name')).toBeDefined();
  });

  it('0 4 changes the PIN when typed the same twice and valid; 0 5 does too', async () => {
    const { users, logs, run } = setup();
    const ok = await run([key('4321'), key('0'), key('4'), key('5678#'), key('5678#'), key('*'), key('#')]);
    expect(ok.call.heard.items).toContain('vm-passchanged');
    expect(users.verifyPin('1001', '5678')).toBe(true);
    expect(users.verifyPin('1001', '4321')).toBe(false);
    expect(logs.some((l) => l.includes('NOTICE') && l.includes('PIN of mailbox 1001 changed by phone'))).toBe(true);
    expect(logs.join('\n')).not.toContain('5678');

    const five = await run([key('5678'), key('0'), key('5'), key('13579'), key('13579'), key('*'), key('#')]);
    expect(five.call.heard.items).toContain('vm-passchanged');
    expect(users.verifyPin('1001', '13579')).toBe(true);
  });

  it('refuses a PIN change that does not match or breaks the PIN rule', async () => {
    const { users, run } = setup();
    const mismatch = await run([key('4321'), key('0'), key('4'), key('5678'), key('8765'), key('4'), key('12'), key('*'), key('#')]);
    expect(mismatch.call.heard.items.filter((i) => ['vm-mismatch', 'vm-invalid-password', 'vm-passchanged'].includes(i))).toEqual([
      'vm-mismatch', 'vm-invalid-password',
    ]);
    expect(users.verifyPin('1001', '4321')).toBe(true);
  });
});

