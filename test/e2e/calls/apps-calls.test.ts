// The call applications of apps/ on real calls: the ring group app falling through to voicemail,
// the IVR menu app routing RFC 4733 digits to extensions, and a 3-party PIN-protected conference
// through the conference room app (the default dialplan's 800).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseSippMessages, startSipp, type SippRun } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, dtmfActions, sippPhone, startCallHarness, type CallHarness } from './support/call-harness.ts';

const APPS = join(import.meta.dirname, '..', '..', '..', 'apps');
let h: CallHarness | undefined;
const sipps: SippRun[] = [];
const dir = mkdtempSync(join(tmpdir(), 'apps-calls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(sipps.splice(0).map((s) => s.stop()));
  await h?.stop();
  h = undefined;
});

/** Copies app folders (without tests) into the dialplan folder, as a user would vendor them. */
function vendorApps(to: string, names: string[]): void {
  for (const n of names) {
    cpSync(join(APPS, n), join(to, n), { recursive: true, filter: (src) => !src.endsWith('.test.ts') && !src.includes('testdata') && !src.endsWith('main.ts') });
  }
}

async function phone(ext: string, scenario: string, password = PASSWORDS[ext]!): Promise<SippRun> {
  const p = await sippPhone(h!, ext, scenario, password);
  sipps.push(p);
  return p;
}

function invitesTo(run: { messages: string }): string[] {
  return parseSippMessages(run.messages).filter((m) => m.direction === 'received' && (m.method === 'INVITE' || m.method === 'CANCEL')).map((m) => m.method!);
}

describe('apps on real calls', () => {
  it('a sequential ring group rings each member in turn, then falls through to voicemail with cause=408', async () => {
    h = await startCallHarness({}, { mwi: { unsolicited: false } });
    vendorApps(h.dialplanDir, ['lib']);
    await h.writeDialplan('main', `import { dialplan } from '@pbx/dialplan';
import { ringGroup } from './lib/ring-group.ts';
export default dialplan((call) => ringGroup(call, {
  strategy: 'sequential',
  members: [{ extension: '1002', ringSeconds: 2 }, { extension: '1003', ringSeconds: 2 }],
  voicemail: { mailbox: '1002', cause: 408 },
}));
`);
    const p2 = await phone('1002', 'uas-no-answer');
    const p3 = await phone('1003', 'uas-no-answer');
    const caller = await startSipp({
      scenario: callerScenario(dir, 'group', '  <pause milliseconds="4000"/>'),
      remote: h.engine.hostport, service: '600', authUser: '1001', authPassword: PASSWORDS['1001']!,
    });
    sipps.push(caller);
    const uri = await h.waitLog(/to voicemail 1002 \(cause 408\): (sip:voicemail@pbx\.test;target=sip:1002%40pbx\.test;cause=408)/, 20_000);
    expect(uri).toContain('cause=408');
    const r = await caller.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    // Each member rang and was canceled, 1002 first.
    const [r2, r3] = await Promise.all([p2.done, p3.done]);
    expect(invitesTo(r2)).toEqual(['INVITE', 'CANCEL']);
    expect(invitesTo(r3)).toEqual(['INVITE', 'CANCEL']);
    const t2 = parseSippMessages(r2.messages).find((m) => m.method === 'INVITE')!;
    const t3 = parseSippMessages(r3.messages).find((m) => m.method === 'INVITE')!;
    expect(t2.time < t3.time, `${t2.time} before ${t3.time}`).toBe(true);
    await h.waitLog(/voicemail: deposit for 1002 \(cause 408\)/);
  }, 60_000);

  it('the IVR menu app: a submenu, a wrong key, then dial-by-extension reaches the chosen extension', async () => {
    h = await startCallHarness({}, { mwi: { unsolicited: false } });
    vendorApps(h.dialplanDir, ['lib', 'ivr-menu', 'conference-room']);
    await h.writeDialplan('main', `import { dialplan } from '@pbx/dialplan';
import { runIvr } from './ivr-menu/ivr-menu.ts';
export default dialplan((call) => runIvr(call, {
  // Short prompts keep the test's key timing independent of how long the recordings are.
  invalidPrompt: 'beep',
  menu: {
    prompt: 'beep',
    timeout: 6,
    options: {
      '1': { extension: '1002', ringSeconds: 10 },
      '3': { submenu: { prompt: 'beep', timeout: 6, options: { '2': { extension: '1002' }, '*': { back: true } } } },
    },
  },
  dialByExtension: { digits: 4, match: '_1XXX' },
  onExhausted: { hangup: true },
}));
`);
    // sipp replays a digit's pcap unchanged, so the same digit twice in a row would look like one
    // retransmitted event (RFC 4733 §2.5): the extension typed has no repeated digit.
    h.pbx.app.admin.add({ extension: '1023', password: 'secret-1023' });
    const callee = await phone('1023', 'uas-answer', 'secret-1023');
    // 3 opens the submenu, * goes back, 8 is not an option, then 1003 typed as an extension.
    // A single key counts after the 2 s dial-by-extension pause, so keys are 3 s apart.
    const actions = ['  <pause milliseconds="1500"/>', dtmfActions('3', 3000), dtmfActions('*', 3000), dtmfActions('8', 3000),
      dtmfActions('1023', 150), '  <pause milliseconds="3000"/>'].join('\n');
    const caller = await startSipp({
      scenario: callerScenario(dir, 'ivr-app', actions), remote: h.engine.hostport, service: '500', authUser: '1001', authPassword: PASSWORDS['1001']!, timeoutMs: 60_000,
    });
    sipps.push(caller);
    const r = await caller.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const t = await callee.done;
    expect(t.exitCode, t.errors || t.stdout).toBe(0);
    const invite = parseSippMessages(t.messages).find((m) => m.direction === 'received' && m.method === 'INVITE');
    expect(invite?.text).toMatch(/From:.*sip:1001@pbx\.test/);
    await h.waitLog(/ivr: invalid input \{"digits":"8"\}/);
    const cdr = h.pbx.app.cdrs.list({}).find((c) => c.callee === '500');
    expect(cdr?.vars['ivr'], JSON.stringify(cdr)).toMatch(/1023/);
  }, 60_000);

  it('a 3-party conference through the conference app with PINs (800 in the default dialplan)', async () => {
    h = await startCallHarness('default', { mwi: { unsolicited: false } });
    // Two participants (PIN 1234) and the moderator (4321); the third also sends audio.
    const join = (name: string, pin: string, user: string, extra = '') =>
      startSipp({
        scenario: callerScenario(dir, name, ['  <pause milliseconds="1500"/>', dtmfActions(pin, 200), extra, '  <pause milliseconds="7000"/>'].join('\n')),
        remote: h!.engine.hostport, service: '800', authUser: user, authPassword: PASSWORDS[user]!, timeoutMs: 60_000,
      });
    const a = await join('conf-a', '1234', '1001');
    const b = await join('conf-b', '1234', '1002');
    const c = await join('conf-c', '4321', '1003', '  <pause milliseconds="2000"/>\n  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>');
    sipps.push(a, b, c);
    const deadline = Date.now() + 30_000;
    while ((h.pbx.app.routing.host.rooms.sizes()['conference-800'] ?? 0) < 3) {
      if (Date.now() > deadline) throw new Error(`the room never had 3 members: ${JSON.stringify(h.pbx.app.routing.host.rooms.sizes())}\n${h.logs.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const status = await h.media.client.status();
    expect(status.conferences).toBe(1);
    // The mix reaches every member: each leg sends audio to its phone.
    const legs = [...h.pbx.app.routing.host.calls.values()].map((c) => c.session.legId!).filter(Boolean);
    expect(legs).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 2500));
    for (const legId of legs) expect((await h.media.client.legStats(legId)).tx.packets).toBeGreaterThan(50);
    for (const run of [a, b, c]) {
      const r = await run.done;
      expect(r.exitCode, r.errors || r.stdout).toBe(0);
    }
    const logs = h.logs.join('\n');
    expect(logs.match(/conference conference-800: \S+ joined/g)).toHaveLength(3);
  }, 90_000);
});
