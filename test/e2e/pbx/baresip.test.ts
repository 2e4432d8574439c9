// Real softphones (Debian's baresip) registered to the PBX: a call answered by a phone, hold and
// unhold through the B2BUA, and a blind transfer (RFC 3515) where the transferee calls the target.
import { afterEach, describe, expect, it } from 'vitest';
import { Baresip } from '../../support/baresip.ts';
import { freePort } from '../../support/ports.ts';
import { parseSippMessages, startSipp, type SippRun } from '../../sipp/sipp.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from './support/pbx-harness.ts';

let h: PbxHarness | undefined;
const phones: Baresip[] = [];
const sipps: SippRun[] = [];
afterEach(async () => {
  registered.clear();
  await Promise.all([...phones.splice(0).map((p) => p.stop()), ...sipps.splice(0).map((s) => s.stop())]);
  await h?.stop();
  h = undefined;
});

const registered = new Set<string>();

async function softphone(user: string, autoAnswer = true): Promise<Baresip> {
  const poll = setInterval(() => {
    void h!.pbx.app.location.lookup(user).then((c) => c.length > 0 && registered.add(user));
  }, 50);
  const p = new Baresip({ user, password: PASSWORDS[user]!, pbxPort: h!.engine.sipPort, domain: 'pbx.test', autoAnswer });
  phones.push(p);
  await p.start();
  // The REGISTER may complete before our control connection is up: ask the location service.
  try {
    await p.until(() => registered.has(user), 10_000, 'registration');
  } finally {
    clearInterval(poll);
  }
  return p;
}

describe('baresip softphones through the PBX', () => {
  it('a phone registers, is called, answers and the caller hangs up', async () => {
    h = await startPbxHarness();
    const callee = await softphone('1002');
    expect((await h.pbx.app.location.lookup('1002')).length).toBe(1);
    const caller = await startSipp({ scenario: 'uac-invite-auth', remote: h.engine.hostport, service: '1002', authUser: '1001', authPassword: PASSWORDS['1001']!, pauseMs: 500 });
    sipps.push(caller);
    const r = await caller.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await callee.waitEvent('CALL_ESTABLISHED');
    await callee.waitEvent('CALL_CLOSED');
    expect(h.pbx.app.cdrs.list({})[0]).toMatchObject({ caller: '1001', callee: '1002', outcome: 'answered' });
  });

  it('hold and unhold from one phone reach the other as sendonly/sendrecv re-INVITEs', async () => {
    h = await startPbxHarness();
    const a = await softphone('1001', false);
    const b = await softphone('1002');
    await a.command('dial', 'sip:1002@pbx.test');
    await a.waitEvent('CALL_ESTABLISHED');
    await b.waitEvent('CALL_ESTABLISHED');
    // With -s baresip prints every SIP message; look at what b received after each command.
    const mark = b.output.length;
    await a.command('hold');
    await b.until(() => /INVITE sip:[^]*?a=(sendonly|inactive)/.test(b.output.slice(mark)), 5000, 'hold re-INVITE');
    const mark2 = b.output.length;
    await a.command('resume');
    await b.until(() => /INVITE sip:[^]*?a=sendrecv/.test(b.output.slice(mark2)), 5000, 'unhold re-INVITE');
    await a.command('hangup');
    await b.waitEvent('CALL_CLOSED');
  });

  it('blind transfer: the callee REFERs the caller to 1003, the caller calls 1003 through the PBX', async () => {
    h = await startPbxHarness();
    // 1003 is a sipp phone: register from a port, then answer there.
    const port = await freePort('both');
    const reg = await (await startSipp({ scenario: 'uac-register', remote: h.engine.hostport, localPort: port, service: '1003', authUser: '1003', authPassword: PASSWORDS['1003']! })).done;
    expect(reg.exitCode, reg.errors || reg.stdout).toBe(0);
    const target = await startSipp({ scenario: 'uas-answer', localPort: port });
    sipps.push(target);
    const a = await softphone('1001', false);
    const b = await softphone('1002');
    await a.command('dial', 'sip:1002@pbx.test');
    await b.waitEvent('CALL_ESTABLISHED');
    await b.command('transfer', 'sip:1003@pbx.test');
    // The transferee (a) places the new call; the target answers it.
    await a.until(() => a.events.filter((e) => e.type === 'CALL_ESTABLISHED').length >= 2, 10_000, 'call to the transfer target');
    await b.waitEvent('CALL_CLOSED');
    await a.command('hangup');
    const t = await target.done;
    expect(t.exitCode, t.errors || t.stdout).toBe(0);
    const invite = parseSippMessages(t.messages).find((m) => m.direction === 'received' && m.method === 'INVITE');
    expect(invite?.text).toMatch(/From:.*1001/);
    const calls = h.pbx.app.cdrs.list({}).map((c) => `${c.caller}->${c.callee}`).sort();
    expect(calls).toEqual(['1001->1002', '1001->1003']);
  });
});
