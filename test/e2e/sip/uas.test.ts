// An unmodified drachtio-srf app answers sipp's call with createUAS, over UDP and TCP.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, SDP, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { startSipp, parseSippMessages } from '../../sipp/sipp.ts';

describe.each(['u1', 't1'] as const)('createUAS answering sipp over %s', (transport) => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  afterEach(async () => {
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
    h = undefined;
  });

  it('answers with SDP, receives the ACK, and the caller hangs up cleanly', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const events: string[] = [];
    let remoteSdp = '';
    srf.invite(async (req: SrfApp, res: SrfApp) => {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP(8123) });
      remoteSdp = dlg.remote.sdp;
      dlg.on('ack', () => events.push('ack'));
      dlg.on('destroy', () => events.push('destroy'));
    });
    const sipp = await startSipp({ scenario: 'uac-invite-bye', remote: h.hostport, transport, pauseMs: 300 });
    const r = await sipp.done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(r.successful).toBe(1);
    // SDP both ways: the app saw sipp's offer, sipp saw our answer.
    expect(remoteSdp).toContain('m=audio');
    const ok = parseSippMessages(r.messages).find((m) => m.direction === 'received' && /^SIP\/2\.0 200/.test(m.text) && /INVITE/.test(m.text));
    expect(ok?.text).toContain('m=audio 8123 RTP/AVP');
    expect(events).toEqual(['ack', 'destroy']);
    const idle = await waitIdle(h);
    expect(idle).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0, pendingOutgoing: 0 });
  });

  it('answers, and the app hangs up with a BYE the caller accepts', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    let byeStatus = 0;
    srf.invite(async (req: SrfApp, res: SrfApp) => {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP(8124) });
      dlg.once('ack', () => {
        setTimeout(() => {
          dlg.destroy().then((bye: SrfApp) => void (byeStatus = 200), () => void (byeStatus = -1));
        }, 100);
      });
    });
    const r = await (await startSipp({ scenario: 'uac-invite-wait-bye', remote: h.hostport, transport })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(r.successful).toBe(1);
    const idle = await waitIdle(h);
    expect(byeStatus).toBe(200);
    expect(idle).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0, pendingOutgoing: 0 });
    if (transport === 't1') expect(h.engine.stats().connections).toBeLessThanOrEqual(1);
  });
});

describe('reliable provisional responses from the app (RFC 3262)', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  afterEach(async () => {
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
    h = undefined;
  });

  it('sends the app 183 reliably, hands the PRACK to the app, then answers', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const seen: string[] = [];
    srf.invite((req: SrfApp, res: SrfApp) => {
      res.send(183, { headers: { Require: '100rel' }, body: SDP(8300) }, (err: unknown) => {
        if (err) seen.push(`183 failed: ${String(err)}`);
      }, (prack: SrfApp) => {
        seen.push(`prack ${prack.get('RAck')}`);
        srf.createUAS(req, res, { localSdp: SDP(8300) }).then((dlg: SrfApp) => {
          seen.push('answered');
          dlg.on('destroy', () => seen.push('destroy'));
        });
      });
    });
    const r = await (await startSipp({ scenario: 'uac-invite-100rel', remote: h.hostport, pauseMs: 100 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const rel = parseSippMessages(r.messages).find((m) => m.direction === 'received' && m.text.startsWith('SIP/2.0 183'));
    expect(rel?.text).toMatch(/RSeq: 1/);
    expect(rel?.text).toMatch(/Contact: /);
    expect(seen).toEqual(['prack 1 1 INVITE', 'answered', 'destroy']);
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0 });
  });

  it('refuses a reliable provisional when the caller did not offer 100rel', async () => {
    h = await startEngine();
    srf = await connectSrf(h);
    const errors: string[] = [];
    srf.invite((req: SrfApp, res: SrfApp) => {
      res.send(183, { headers: { Require: '100rel' }, body: SDP(8301) }, (err: unknown) => {
        if (err) errors.push(String(err));
        res.send(486);
      });
    });
    const r = await (await startSipp({ scenario: 'uac-expect-486', remote: h.hostport })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    expect(errors).toEqual(['Remote endpoint does not support 100rel']);
  });
});

describe('IPv6', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  afterEach(async () => {
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
    h = undefined;
  });

  it.each(['u1', 't1'] as const)('answers a call from sipp over [::1] (%s)', async (transport) => {
    h = await startEngine({ address: '::1' });
    srf = await connectSrf(h);
    const events: string[] = [];
    srf.invite(async (req: SrfApp, res: SrfApp) => {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP(8500) });
      dlg.on('destroy', () => events.push('destroy'));
    });
    const r = await (await startSipp({ scenario: 'uac-invite-bye', remote: h.hostport, localIp: '::1', transport, pauseMs: 100 })).done;
    expect(r.exitCode, r.errors || r.stdout).toBe(0);
    const ok = parseSippMessages(r.messages).find((m) => m.direction === 'received' && /^SIP\/2\.0 200/.test(m.text) && /INVITE/.test(m.text));
    expect(ok?.text).toMatch(new RegExp(`Contact: <sip:\\[::1\\]:${h.sipPort}`));
    expect(events).toEqual(['destroy']);
  });
});
