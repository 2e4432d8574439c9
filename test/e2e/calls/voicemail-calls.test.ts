// Voicemail end to end on the default dialplan: a busy extension sends the caller (a baresip
// phone sending a 440 Hz tone) to the voicemail service by RFC 4458 retargeting with cause=486;
// the busy greeting plays, the message holds what the caller said; the owner's lamp lights; *97
// with the PIN (RFC 4733 digits from sipp) plays and deletes it, and the lamp goes out.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toneLevel } from '../../../core/media/codecs/dsp/goertzel.ts';
import { parseWav } from '../../../core/media/player/wav.ts';
import { Baresip } from '../../support/baresip.ts';
import { startSipp, type SippRun } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { closeMwiPhones, MwiPhone, summaryOf } from '../voicemail/support/mwi-phone.ts';
import { callerScenario, dtmfActions, sippPhone, softphone, startCallHarness, type CallHarness } from './support/call-harness.ts';

let h: CallHarness | undefined;
const sipps: SippRun[] = [];
const phones: Baresip[] = [];
const dir = mkdtempSync(join(tmpdir(), 'voicemail-calls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  closeMwiPhones();
  await Promise.all([...sipps.splice(0).map((s) => s.stop()), ...phones.splice(0).map((p) => p.stop())]);
  await h?.stop();
  h = undefined;
});

/** A mono 16-bit 8 kHz WAV of a sine. */
function toneWav(freq: number, ms: number): Buffer {
  const n = (8000 * ms) / 1000;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) data.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * freq * i) / 8000)), i * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(8000, 24);
  head.writeUInt32LE(16000, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

describe('voicemail on real calls', () => {
  it('busy → voicemail (cause 486, busy greeting), the message holds the caller\'s audio; *97 plays and deletes it', async () => {
    // sipp phones cannot take unsolicited NOTIFYs (the lamp is checked with a subscriber instead).
    h = await startCallHarness('default', { mwi: { unsolicited: false } });
    const vm = h.pbx.app.voicemail;
    // Greetings that tell themselves apart: busy 1 kHz, unavailable 600 Hz.
    vm.saveGreeting('1002', 'busy', toneWav(1000, 1500));
    vm.saveGreeting('1002', 'unavailable', toneWav(600, 1500));
    h.pbx.app.admin.update('1002', { voicemailPin: '2468' });
    sipps.push(await sippPhone(h, '1002', 'uas-486'));
    // 1002's lamp: a phone that subscribes to its mailbox (it does not register, so calls do not ring it).
    const lamp = await MwiPhone.open(h, '1002');
    expect((await lamp.subscribe({ expires: 600 })).status).toBe(200);
    expect(summaryOf(await lamp.nextNotify())).toMatchObject({ waiting: 'no', voice: '0/0' });

    const a = await softphone(h, '1001', false);
    phones.push(a);
    await a.command('dial', 'sip:1002@pbx.test');
    await a.waitEvent('CALL_ESTABLISHED', 20_000);
    await h.waitLog(/to voicemail 1002 \(cause 486\)/);
    await sleep(6000); // greeting (1.5 s), beep, then ~4 s of the caller's 440 Hz sine
    await a.command('hangup');
    const stored = await h.waitLog(/voicemail: message \S+ for 1002 from 1001/, 15_000);
    const [msg] = vm.list('1002');
    expect(msg, stored).toMatchObject({ mailbox: '1002', caller: '1001', cause: 486, heard: false });
    expect(msg!.durationMs).toBeGreaterThan(2500);
    expect(msg!.durationMs).toBeLessThan(6500);
    expect(vm.counts('1002')).toEqual({ newCount: 1, oldCount: 0 });
    expect(summaryOf(await lamp.nextNotify())).toEqual({ waiting: 'yes', account: 'sip:1002@pbx.test', voice: '1/0' });
    // The recording holds the caller's tone.
    const rec = parseWav(readFileSync(vm.audioPath(msg!.id)!));
    const mid = rec.samples.subarray(Math.floor(rec.samples.length / 4), Math.floor((rec.samples.length * 3) / 4));
    expect(toneLevel(mid, rec.rate, 440)).toBeGreaterThan(-30);
    // The caller heard the busy greeting, not the unavailable one.
    const heard = a.heardFiles().map((f) => parseWav(readFileSync(f)));
    const loud = (freq: number) => heard.some((w) => windows(w.samples, w.rate).some((x) => toneLevel(x, w.rate, freq) > -30));
    expect(loud(1000), 'busy greeting heard').toBe(true);
    expect(loud(600), 'unavailable greeting heard').toBe(false);

    // *97 from 1002's phone: PIN 2468#, 1 plays the new message, 7 deletes it, # leaves.
    const actions = [
      '  <pause milliseconds="1500"/>', dtmfActions('2468#', 250), '  <pause milliseconds="6000"/>',
      dtmfActions('1', 250), '  <pause milliseconds="9000"/>', dtmfActions('7', 250), '  <pause milliseconds="3000"/>', dtmfActions('#', 250),
    ].join('\n');
    const retrieval = await startSipp({
      scenario: callerScenario(dir, 'vm-retrieve', actions, 'wait-bye'),
      remote: h.engine.hostport, service: '*97', authUser: '1002', authPassword: PASSWORDS['1002']!, timeoutMs: 60_000,
    });
    sipps.push(retrieval);
    const r = await retrieval.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(vm.list('1002')).toEqual([]);
    expect(vm.counts('1002')).toEqual({ newCount: 0, oldCount: 0 });
    // Playing marked it heard (0/1), deleting it put the lamp out.
    const states: string[] = [];
    for (;;) {
      const n = summaryOf(await lamp.nextNotify());
      states.push(`${n.waiting} ${n.voice}`);
      if (n.voice === '0/0') break;
    }
    expect(states).toEqual(['no 0/1', 'no 0/0']);
    expect((await lamp.refresh(0)).status).toBe(200);
    await lamp.nextNotify(); // the final NOTIFY (terminated)
  }, 90_000);
});

function windows(pcm: Int16Array, rate: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let t = 0; (t + 0.5) * rate <= pcm.length; t += 0.25) out.push(pcm.subarray(Math.floor(t * rate), Math.floor((t + 0.5) * rate)));
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
