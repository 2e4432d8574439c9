// Dialplans on real calls: sipp callers sending RFC 4733 digits, sipp and baresip phones, the
// media server anchoring the audio, and the dialplan runtime deciding what happens.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toneLevel } from '../../../core/media/codecs/dsp/goertzel.ts';
import { parseWav } from '../../../core/media/player/wav.ts';
import { Baresip } from '../../support/baresip.ts';
import { freePort } from '../../support/ports.ts';
import { parseSippMessages, SCENARIO_DIR, startSipp, type SippRun } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, dtmfActions, sippPhone, softphone, startCallHarness, type CallHarness } from './support/call-harness.ts';

let h: CallHarness | undefined;
const sipps: SippRun[] = [];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dialplan-calls-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(sipps.splice(0).map((s) => s.stop()));
  await h?.stop();
  h = undefined;
});

async function phone(ext: string, scenario = 'uas-answer'): Promise<SippRun> {
  const p = await sippPhone(h!, ext, scenario);
  sipps.push(p);
  return p;
}

const IVR = `
import { dialplan } from '@pbx/dialplan';
export default dialplan(async (call) => {
  await call.answer();
  const key = await call.menu({ prompt: 'vm-intro', options: ['1', '2'], timeout: 5, attempts: 2 });
  call.log('menu', { key });
  if (key === '1') await call.dial('1002');
  else if (key === '2') await call.dial('1003');
  return call.hangup();
});
`;

describe('dialplans on real calls', () => {
  it('an IVR menu answered by RFC 4733 digits routes to the chosen extension', async () => {
    h = await startCallHarness({ main: IVR });
    const callee = await phone('1003');
    const caller = await startSipp({
      scenario: callerScenario(dir, 'ivr-2', `  <pause milliseconds="500"/>\n${dtmfActions('2')}\n  <pause milliseconds="1500"/>`),
      remote: h.engine.hostport, service: '500', authUser: '1001', authPassword: PASSWORDS['1001']!,
    });
    sipps.push(caller);
    const r = await caller.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await h.waitLog(/menu \{"key":"2"\}/);
    const t = await callee.done;
    expect(t.exitCode, t.errors || t.stdout).toBe(0);
    const invite = parseSippMessages(t.messages).find((m) => m.direction === 'received' && m.method === 'INVITE');
    expect(invite?.text).toMatch(/From:.*1001/);
    // The callee was offered our media leg, not the caller's own address.
    expect(invite?.text).toMatch(/m=audio \d+ RTP\/AVP/);
    const cdr = h.pbx.app.cdrs.list({})[0];
    expect(cdr).toMatchObject({ caller: '1001', callee: '500', outcome: 'answered' });
  });
});

describe('hold with music through a dialplan dial', () => {
  const phones: Baresip[] = [];
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.stop()));
  });

  async function registered(user: string, autoAnswer: boolean): Promise<Baresip> {
    const p = await softphone(h!, user, autoAnswer);
    phones.push(p);
    return p;
  }

  it('hold from a phone plays music to the other party, and unhold brings the other phone back', async () => {
    h = await startCallHarness({
      main: `import { dialplan } from '@pbx/dialplan';
        export default dialplan(async (call) => { await call.dial('1002'); return call.hangup(); });`,
    });
    const a = await registered('1001', false);
    const b = await registered('1002', true);
    await a.command('dial', 'sip:1002@pbx.test');
    await a.waitEvent('CALL_ESTABLISHED');
    await b.waitEvent('CALL_ESTABLISHED');
    await sleep(1500); // a hears b's 440 Hz sine
    await b.command('hold');
    await h.waitLog(/callee put the other party on hold/);
    await sleep(2500); // a hears music on hold
    await b.command('resume');
    await h.waitLog(/resumed from hold/);
    await sleep(1500); // a hears b again
    await a.command('hangup');
    await b.waitEvent('CALL_CLOSED');
    await sleep(300); // sndfile writes as it plays; its header may lag, parseWav reads to the end
    // sndfile may start a new dump when the stream is renegotiated (hold, resume): look at all of them.
    const files = a.heardFiles();
    expect(files.length, 'baresip wrote no decoder dump').toBeGreaterThan(0);
    const dumps = files.map((f) => parseWav(readFileSync(f))); // averaged to mono
    const found = dumps.map((d) => ({ d, at: findHoldWindow(d.samples, d.rate) })).find((x) => x.at >= 0);
    expect(found, `no music window in ${dumps.map((d) => (d.samples.length / d.rate).toFixed(1)).join(' + ')} s of audio`).toBeDefined();
    const { d: held, at } = found!;
    const music = held.samples.subarray(Math.floor(at * held.rate), Math.floor((at + 1) * held.rate));
    // Music: loud, and not b's sine.
    expect(rms(music)).toBeGreaterThan(-45);
    expect(toneLevel(music, held.rate, 440)).toBeLessThan(rms(music) - 6);
    // After unhold a hears the sine again (the last second before the hang-up).
    const last = dumps.at(-1)!;
    const rate = last.rate;
    const total = last.samples.length / rate;
    const win = (fromSec: number) => last.samples.subarray(Math.floor(fromSec * rate), Math.floor((fromSec + 1) * rate));
    const after = win(total - 1.3);
    expect(toneLevel(after, rate, 440)).toBeGreaterThan(-30);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return 10 * Math.log10(sum / Math.max(1, pcm.length) / (32768 * 32768));
}

/** Start (s) of the first 2 s stretch that is loud but not dominated by the 440 Hz sine throughout. */
function findHoldWindow(pcm: Int16Array, rate: number): number {
  const isMusic = (t: number) => {
    const w = pcm.subarray(Math.floor(t * rate), Math.floor((t + 0.5) * rate));
    return rms(w) > -45 && toneLevel(w, rate, 440) < rms(w) - 6;
  };
  for (let t = 0; (t + 2) * rate <= pcm.length; t += 0.25) {
    if ([0, 0.5, 1, 1.5].every((d) => isMusic(t + d))) return t;
  }
  return -1;
}

describe('confirm-by-keypress for external targets', () => {
  /** A UAS (not registered: dialed by URI) that answers and, with `key`, presses it 1.5 s later. */
  function callee(name: string, key: string | undefined): string {
    const base = readFileSync(join(SCENARIO_DIR, 'uas-answer.xml'), 'utf8');
    const ack = '<recv request="ACK" timeout="10000" rtd="true" crlf="true"/>';
    const press = key === undefined ? '' : `\n  <pause milliseconds="1500"/>\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${key}.pcap"/></action></nop>`;
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, base.replace(ack, ack + press).replace('<recv request="BYE" timeout="10000"', '<recv request="BYE" timeout="30000"'));
    return file;
  }

  it('connects only after the callee presses a key; a callee who does not is hung up and the dial reports no answer', async () => {
    const port = await freePort('both');
    h = await startCallHarness({
      main: `import { dialplan } from '@pbx/dialplan';
        export default dialplan(async (call) => {
          const r = await call.dial({ uri: 'sip:mobile@127.0.0.1:${port}', confirm: 'vm-press' }, { timeout: 15, maxDuration: 3 });
          call.log('confirm result', { status: r.status });
          return call.hangup();
        });`,
    });
    for (const [name, key] of [['presses', '1'], ['silent', undefined]] as const) {
      const phone = await startSipp({ scenario: callee(name, key), localPort: port });
      sipps.push(phone);
      // Unconfirmed, the caller is never answered: it gets 480 once the 10 s to press a key ran out.
      const unanswered = join(dir, 'expect-480.xml');
      writeFileSync(unanswered, readFileSync(join(SCENARIO_DIR, 'uac-invite-auth-expect-code.xml'), 'utf8').replaceAll('timeout="10000"', 'timeout="30000"'));
      const caller = await startSipp({
        scenario: key ? callerScenario(dir, `confirm-${name}`, '', 'wait-bye') : unanswered,
        remote: h.engine.hostport, service: '300', authUser: '1001', authPassword: PASSWORDS['1001']!, timeoutMs: 40_000,
        ...(key ? {} : { keys: { expected_code: '480' } }),
      });
      sipps.push(caller);
      const r = await caller.done;
      expect(r.exitCode, r.errors || r.stdout).toBe(0);
      const p = await phone.done;
      expect(p.exitCode, p.errors || p.stdout).toBe(0);
      const results = h.logs.filter((l) => l.includes('confirm result'));
      expect(results.at(-1)).toContain(key ? '"status":"answered"' : '"status":"no-answer"');
      // The caller was answered only once the callee confirmed (with no key: never).
      const answered = parseSippMessages(r.messages).some((m) => m.direction === 'received' && /^SIP\/2\.0 200/.test(m.text) && /CSeq: \d+ INVITE/.test(m.text));
      expect(answered).toBe(key !== undefined);
      await sleep(200);
    }
  }, 90_000);
});

describe('the echo test service', () => {
  const phones: Baresip[] = [];
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.stop()));
  });

  it('a transfer to sip:echo@domain sends the caller its own audio back', async () => {
    h = await startCallHarness({
      main: `import { dialplan } from '@pbx/dialplan';
        export default dialplan((call) => call.transfer({ uri: 'sip:echo@' + call.to.host }));`,
    });
    const a = await softphone(h, '1001', false);
    phones.push(a);
    await a.command('dial', 'sip:*43@pbx.test');
    await a.waitEvent('CALL_ESTABLISHED');
    await h.waitLog(/echo test for 1001/);
    await sleep(2500);
    await a.command('hangup');
    await a.waitEvent('CALL_CLOSED');
    await sleep(300);
    // baresip sends a 440 Hz sine and hears it back.
    const heard = a.heardFiles().map((f) => parseWav(readFileSync(f)));
    const last = heard.at(-1)!;
    const second = last.samples.subarray(Math.max(0, last.samples.length - 2 * last.rate), last.samples.length - last.rate);
    expect(toneLevel(second, last.rate, 440)).toBeGreaterThan(-30);
  });
});
