// Dialplans on real calls: sipp callers sending RFC 4733 digits, sipp and baresip phones, the
// media server anchoring the audio, and the dialplan runtime deciding what happens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { parseSippMessages, startSipp, type SippRun } from '../../sipp/sipp.ts';
import { PASSWORDS } from '../pbx/support/pbx-harness.ts';
import { callerScenario, dtmfActions, startCallHarness, type CallHarness } from './support/call-harness.ts';

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

/** A sipp phone registered as `ext` that then answers calls with `scenario` (default: answer, wait for BYE). */
async function sippPhone(ext: string, scenario = 'uas-answer'): Promise<SippRun> {
  const port = await freePort('both');
  const reg = await (await startSipp({ scenario: 'uac-register', remote: h!.engine.hostport, localPort: port, service: ext, authUser: ext, authPassword: PASSWORDS[ext]! })).done;
  expect(reg.exitCode, reg.errors || reg.stdout).toBe(0);
  const phone = await startSipp({ scenario, localPort: port });
  sipps.push(phone);
  return phone;
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
    const callee = await sippPhone('1003');
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
