// srf.createB2BUA between a sipp UAC and a sipp UAS through the engine.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { startSipp, parseSippMessages, type SippRun } from '../../sipp/sipp.ts';

/** The B2BUA app under test: bridges, relays re-INVITEs, INFO and NOTIFY, and BYE both ways. */
function b2bua(srf: SrfApp, target: () => string, seen: string[]): void {
  srf.invite(async (req: SrfApp, res: SrfApp) => {
    try {
      const { uas, uac } = await srf.createB2BUA(req, res, target(), { localSdpB: req.body });
      seen.push('connected');
      for (const [a, b] of [[uas, uac], [uac, uas]] as const) {
        a.on('destroy', () => {
          seen.push('destroy');
          b.destroy().catch(() => {});
        });
        a.on('modify', async (mreq: SrfApp, mres: SrfApp) => {
          seen.push(mreq.body.includes('a=sendonly') ? 'hold' : mreq.body.includes('a=sendrecv') ? 'unhold' : 'modify');
          const sdp = await b.modify(mreq.body);
          mres.send(200, { body: sdp });
        });
        for (const method of ['info', 'notify'] as const) {
          a.on(method, async (ireq: SrfApp, ires: SrfApp) => {
            seen.push(method);
            const headers: Record<string, string> = {};
            for (const h of ['Content-Type', 'Event', 'Subscription-State']) if (ireq.has(h)) headers[h] = ireq.get(h);
            const r = await b.request({ method: method.toUpperCase(), headers, body: ireq.body });
            ires.send(r.status);
          });
        }
      }
    } catch (err) {
      seen.push(`failed:${(err as { status?: number }).status ?? String(err)}`);
    }
  });
}

describe('createB2BUA between sipp UAC and sipp UAS', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  let callee: SippRun | undefined;
  afterEach(async () => {
    await callee?.stop();
    callee = undefined;
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
  });

  async function setup(calleeScenario: string): Promise<string[]> {
    h = await startEngine();
    srf = await connectSrf(h);
    callee = await startSipp({ scenario: calleeScenario });
    const seen: string[] = [];
    b2bua(srf, () => `sip:callee@127.0.0.1:${callee!.localPort}`, seen);
    return seen;
  }

  async function finish(calleeOk = true): Promise<void> {
    const c = await callee!.done;
    if (calleeOk) expect(c.exitCode, c.errors || c.stdout).toBe(0);
    const idle = await waitIdle(h!);
    expect(idle).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0, pendingOutgoing: 0 });
  }

  it('connects an answered call and relays the BYE', async () => {
    const seen = await setup('uas-answer');
    const r = await (await startSipp({ scenario: 'uac-invite-bye', remote: h!.hostport, pauseMs: 200 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    expect(seen).toEqual(['connected', 'destroy']);
  });

  it('passes a 486 back to the caller', async () => {
    const seen = await setup('uas-486');
    const r = await (await startSipp({ scenario: 'uac-expect-486', remote: h!.hostport })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    expect(seen).toEqual(['failed:486']);
  });

  it('turns a caller CANCEL into 487 upstream and a CANCEL downstream', async () => {
    const seen = await setup('uas-no-answer');
    const r = await (await startSipp({ scenario: 'uac-expect-487-cancel', remote: h!.hostport, pauseMs: 300 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    const c = await callee!.done;
    expect(parseSippMessages(c.messages).some((m) => m.direction === 'received' && m.text.startsWith('CANCEL'))).toBe(true);
    expect(seen).toEqual(['failed:487']);
  });

  it('relays hold and unhold re-INVITEs from the caller through Dialog.modify', async () => {
    const seen = await setup('uas-hold-unhold');
    const r = await (await startSipp({ scenario: 'uac-hold-unhold', remote: h!.hostport, pauseMs: 100 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    const c = await callee!.done;
    const reinvites = parseSippMessages(c.messages).filter((m) => m.direction === 'received' && m.text.startsWith('INVITE'));
    expect(reinvites.map((m) => (m.text.includes('a=sendonly') ? 'sendonly' : m.text.includes('a=sendrecv') ? 'sendrecv' : '?'))).toEqual(
      ['sendrecv', 'sendonly', 'sendrecv'],
    );
    expect(seen.filter((s) => s === 'hold' || s === 'unhold')).toEqual(['hold', 'unhold']);
  });

  it('relays hold and unhold re-INVITEs from the callee', async () => {
    const seen = await setup('uas-reinvite-hold');
    const r = await (await startSipp({ scenario: 'uac-expect-reinvite', remote: h!.hostport, pauseMs: 100 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    expect(seen.filter((s) => s === 'hold' || s === 'unhold')).toEqual(['hold', 'unhold']);
  });

  it('relays INFO and NOTIFY to the other side', async () => {
    const seen = await setup('uas-info-notify');
    const r = await (await startSipp({ scenario: 'uac-info-notify', remote: h!.hostport, pauseMs: 100 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    await finish();
    const c = await callee!.done;
    const got = parseSippMessages(c.messages).filter((m) => m.direction === 'received').map((m) => m.text.split(' ')[0]);
    expect(got).toContain('INFO');
    expect(got).toContain('NOTIFY');
    expect(seen).toContain('info');
    expect(seen).toContain('notify');
  });
});
