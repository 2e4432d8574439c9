// A spiral: an app's INVITE that comes back to the same engine (a PBX calling a service of its own,
// or a route that loops back through a peer). The looped INVITE carries our UAC dialog's Call-ID
// and From tag, so the UAS dialog it creates must not be mistaken for a second fork of a dialog we
// already hold (which gets 480): both halves have to live side by side and end cleanly.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, SDP, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';

describe('an INVITE spiralling back through the engine', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  afterEach(async () => {
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h);
  });

  async function loopedCall(hangUpFrom: 'caller' | 'callee'): Promise<void> {
    h = await startEngine();
    srf = await connectSrf(h);
    const uasDialog = new Promise<SrfApp>((resolve, reject) => {
      srf.invite((req: SrfApp, res: SrfApp) => {
        srf.createUAS(req, res, { localSdp: SDP(9200) }).then(resolve, reject);
      });
    });
    // Our own address as the next hop (an outbound proxy set to ourselves, say): the engine refuses
    // a request-URI that is its own ("can not send request to myself", as drachtio-server does),
    // but a hop is taken as given.
    const uac = await srf.createUAC('sip:service@pbx.test', { localSdp: SDP(9100), proxy: `sip:${h.hostport}` });
    const uas = await uasDialog;
    expect(uac.remote.sdp).toContain('m=audio 9200');
    expect(uas.remote.sdp).toContain('m=audio 9100');
    expect(uac.sip.callId).toBe(uas.sip.callId);
    expect(uac.id).not.toBe(uas.id);
    expect(h.engine.stats().dialogs).toBe(2);

    // In-dialog requests reach the other half, in both directions.
    const infoAtUas = new Promise<string>((r) => uas.on('info', (req: SrfApp, res: SrfApp) => { res.send(200); r(req.body); }));
    await uac.request({ method: 'INFO', headers: { 'Content-Type': 'application/dtmf-relay' }, body: 'Signal=5\r\nDuration=160\r\n' });
    expect(await infoAtUas).toContain('Signal=5');

    const [ending, other] = hangUpFrom === 'caller' ? [uac, uas] : [uas, uac];
    const otherGone = new Promise<void>((r) => other.on('destroy', () => r()));
    await ending.destroy();
    await otherGone;
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingOutgoing: 0 });
  }

  it('answers it as a dialog of its own; the caller hangs up', async () => {
    await loopedCall('caller');
  });

  it('answers it as a dialog of its own; the callee hangs up', async () => {
    await loopedCall('callee');
  });
});
