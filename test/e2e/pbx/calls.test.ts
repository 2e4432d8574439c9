// Calls between extensions through the PBX as a B2BUA: parallel and sequential ringing of every
// registered phone, and every outcome the caller can meet, each leaving a closed CDR and an
// engine with nothing open.
import { afterEach, describe, expect, it } from 'vitest';
import { parseSippMessages, startSipp, type SippRun } from '../../sipp/sipp.ts';
import { freePort } from '../../support/ports.ts';
import { PASSWORDS, startPbxHarness, type PbxHarness } from './support/pbx-harness.ts';
import { UdpPhone } from './support/udp-phone.ts';
import type { PbxConfigInput } from '../../../core/config/schema.ts';

let h: PbxHarness | undefined;
const phones: SippRun[] = [];
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.stop()));
  await h?.stop();
  h = undefined;
});

async function pbx(calls: NonNullable<PbxConfigInput['pbx']>['calls'] = {}): Promise<PbxHarness> {
  h = await startPbxHarness({ calls });
  return h;
}

/** Registers `ext` from a fresh port with sipp (MD5 digest), then answers calls there with `scenario`. */
async function phone(ext: string, scenario: string, keys: Record<string, string> = {}): Promise<SippRun> {
  const port = await freePort('both');
  const reg = await (await startSipp({
    scenario: 'uac-register', remote: h!.engine.hostport, localPort: port, service: ext, authUser: ext, authPassword: PASSWORDS[ext]!,
  })).done;
  expect(reg.exitCode, reg.errors || reg.stdout).toBe(0);
  const uas = await startSipp({ scenario, localPort: port, keys });
  phones.push(uas);
  return uas;
}

/** Registers `ext` with a q-value from a raw UDP phone, then hands its port to a sipp `scenario`. */
async function phoneWithQ(ext: string, scenario: string, q: number): Promise<SippRun> {
  const port = await freePort('both');
  const p = await new UdpPhone(ext, PASSWORDS[ext]!, { port: h!.engine.sipPort }).bind(port);
  try {
    const { res } = await p.registerWithAuth({ contact: `<sip:${ext}@127.0.0.1:${port}>;q=${q}`, expires: 600 });
    expect(res.status).toBe(200);
  } finally {
    p.close();
  }
  const uas = await startSipp({ scenario, localPort: port });
  phones.push(uas);
  return uas;
}

/** 1001 calls `dialed`, authenticating with its password when challenged (407). */
async function call(dialed: string, scenario = 'uac-invite-auth', keys: Record<string, string> = {}, pauseMs = 200) {
  const run = await startSipp({
    scenario, remote: h!.engine.hostport, service: dialed, authUser: '1001', authPassword: PASSWORDS['1001']!, pauseMs, keys,
  });
  return run.done;
}

const received = (r: { messages: string }, method: string) =>
  parseSippMessages(r.messages).filter((m) => m.direction === 'received' && m.text.startsWith(method + ' '));

async function lastCdr() {
  const cdrs = h!.pbx.app.cdrs.list({});
  expect(cdrs.length).toBeGreaterThan(0);
  return cdrs[0]!;
}

describe('calls between extensions', () => {
  it('parallel: both phones ring, the one that answers gets the call, the other a CANCEL "completed elsewhere"', async () => {
    await pbx({ strategy: 'parallel' });
    const ringing = await phone('1002', 'uas-no-answer');
    const answering = await phone('1002', 'uas-answer');
    const caller = await call('1002');
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const challenge = parseSippMessages(caller.messages).find((m) => m.status === 407);
    expect(challenge?.text).toMatch(/Proxy-Authenticate: Digest/);
    const a = await answering.done;
    expect(a.exitCode, a.errors || a.stdout).toBe(0);
    const r = await ringing.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(received(r, 'CANCEL')[0]?.text).toMatch(/Reason: SIP;cause=200;text="Call completed elsewhere"/);
    expect(await lastCdr()).toMatchObject({ caller: '1001', callee: '1002', outcome: 'answered', sipCode: 200 });
  });

  it('sequential by q: the highest-q phone rings first, is CANCELed after its turn, and the next one answers', async () => {
    await pbx({ strategy: 'sequential', perContactTimeoutSec: 1 });
    // Registered first with the higher q: q decides the order, not recency.
    const first = await phoneWithQ('1002', 'uas-no-answer', 0.9);
    const second = await phoneWithQ('1002', 'uas-answer', 0.4);
    const caller = await call('1002');
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const f = await first.done;
    expect(f.exitCode, f.errors || f.stdout).toBe(0);
    const s = await second.done;
    expect(s.exitCode, s.errors || s.stdout).toBe(0);
    const inviteAt = (r: { messages: string }) => parseSippMessages(r.messages).find((m) => m.direction === 'received' && m.method === 'INVITE')!.time;
    expect(inviteAt(f) < inviteAt(s)).toBe(true);
    expect(await lastCdr()).toMatchObject({ outcome: 'answered' });
  });

  const outcomes: [string, string, string, number, string][] = [
    ['busy', '1002', 'uas-486', 486, 'busy'],
    ['declined', '1002', 'uas-reject-603', 603, 'rejected'],
  ];
  for (const [name, ext, scenario, code, outcome] of outcomes) {
    it(`${name}: the caller gets ${code}`, async () => {
      await pbx();
      const callee = await phone(ext, scenario);
      const caller = await call(ext, 'uac-invite-auth-expect-code', { expected_code: String(code) });
      expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
      const c = await callee.done;
      expect(c.exitCode, c.errors || c.stdout).toBe(0);
      expect(await lastCdr()).toMatchObject({ outcome, sipCode: code });
    });
  }

  it('no answer: after the ring timeout the caller gets 480 and the phone a CANCEL', async () => {
    await pbx({ ringTimeoutSec: 1 });
    const callee = await phone('1002', 'uas-no-answer');
    const caller = await call('1002', 'uac-invite-auth-expect-code', { expected_code: '480' });
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const c = await callee.done;
    expect(c.exitCode, c.errors || c.stdout).toBe(0);
    expect(await lastCdr()).toMatchObject({ outcome: 'no-answer', sipCode: 480 });
  });

  it('not registered: 480; unknown extension: 404', async () => {
    await pbx();
    const notRegistered = await call('1003', 'uac-invite-auth-expect-code', { expected_code: '480' });
    expect(notRegistered.exitCode, notRegistered.errors || notRegistered.stdout).toBe(0);
    const unknown = await call('1999', 'uac-invite-auth-expect-code', { expected_code: '404' });
    expect(unknown.exitCode, unknown.errors || unknown.stdout).toBe(0);
    const cdrs = h!.pbx.app.cdrs.list({});
    expect(cdrs.map((c) => c.sipCode).sort()).toEqual([404, 480]);
  });

  it('caller CANCEL: 487 to the caller, CANCEL to the ringing phone', async () => {
    await pbx();
    const callee = await phone('1002', 'uas-no-answer');
    const caller = await call('1002', 'uac-invite-auth-cancel', {}, 300);
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const c = await callee.done;
    expect(c.exitCode, c.errors || c.stdout).toBe(0);
    expect(received(c, 'CANCEL')).toHaveLength(1);
    expect(await lastCdr()).toMatchObject({ outcome: 'canceled', sipCode: 487 });
  });

  it('redirect route: the caller gets 302 with the phone\'s contact instead of a bridged call', async () => {
    await pbx({ redirect: ['1002'] });
    const callee = await phone('1002', 'uas-answer');
    const caller = await call('1002', 'uac-invite-auth-expect-code', { expected_code: '302' });
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const redirect = parseSippMessages(caller.messages).find((m) => m.status === 302)!;
    expect(redirect.text).toMatch(new RegExp(`Contact: <sip:1002@127\\.0\\.0\\.1:${callee.localPort}`));
    await callee.stop();
    expect(received(await callee.done, 'INVITE')).toHaveLength(0);
    expect(await lastCdr()).toMatchObject({ sipCode: 302 });
  });

  it('a trusted trunk calls in without credentials', async () => {
    await pbx({ trustedSources: ['127.0.0.1'] });
    await phone('1002', 'uas-answer');
    const trunk = await (await startSipp({ scenario: 'uac-invite-bye', remote: h!.engine.hostport, service: '1002', pauseMs: 100 })).done;
    expect(trunk.exitCode, trunk.errors || trunk.stdout).toBe(0);
    expect(parseSippMessages(trunk.messages).some((m) => m.status === 407)).toBe(false);
    expect(await lastCdr()).toMatchObject({ callee: '1002', outcome: 'answered' });
  });

  it('relays INFO (DTMF) and in-dialog NOTIFY between the two legs of a call', async () => {
    await pbx({ trustedSources: ['127.0.0.1'] });
    const callee = await phone('1002', 'uas-info-notify');
    const caller = await (await startSipp({ scenario: 'uac-info-notify', remote: h!.engine.hostport, service: '1002', pauseMs: 100 })).done;
    expect(caller.exitCode, caller.errors || caller.stdout).toBe(0);
    const c = await callee.done;
    expect(c.exitCode, c.errors || c.stdout).toBe(0);
    expect(received(c, 'INFO')[0]?.text).toMatch(/Signal=5/);
    expect(received(c, 'NOTIFY')).toHaveLength(1);
  });

  it('a wrong password never reaches routing: no phone rings, no CDR', async () => {
    await pbx();
    const callee = await phone('1002', 'uas-answer');
    const run = await startSipp({
      scenario: 'uac-invite-auth-expect-code', remote: h!.engine.hostport, service: '1002', authUser: '1001', authPassword: 'wrong',
      keys: { expected_code: '407' },
    });
    const r = await run.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(h!.pbx.app.cdrs.list({})).toEqual([]);
    await callee.stop();
    expect(received(await callee.done, 'INVITE')).toHaveLength(0);
  });
});
