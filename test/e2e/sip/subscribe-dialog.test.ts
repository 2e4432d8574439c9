// Subscription dialogs the app answers (RFC 6665 notifier side) through the engine: the dialog's
// end after a 481 or 408 to a NOTIFY (RFC 3261 §12.2.1.2), target refresh by an in-dialog
// SUBSCRIBE, and no dialog left behind when the app that served it disconnects.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { RawUdpPeer } from '../../support/raw-udp-peer.ts';
import { request } from '../../support/sip-text.ts';
import { parseMessage, parseNameAddr, tagOf, type SipMessage, type SipRequest, type SipResponse } from '../../../core/sip/parser/index.ts';

const isNotify = (m: SipMessage): m is SipRequest => m.kind === 'request' && m.method === 'NOTIFY';
const isFinal = (m: SipMessage, method: string, cseq: number): m is SipResponse =>
  m.kind === 'response' && m.status >= 200 && m.get('cseq') === `${cseq} ${method}`;

/** The phone answers every NOTIFY with `status`. */
function answerNotifies(p: RawUdpPeer, status: number): void {
  p.socket.on('message', (data, rinfo) => {
    const m = parseMessage(data);
    if (m.ok && isNotify(m.value)) p.socket.send(reply(m.value, status), rinfo.port, rinfo.address);
  });
}

function reply(req: SipRequest, status: number): string {
  return [
    `SIP/2.0 ${status} Whatever`,
    ...req.getLines('via').map((v) => `Via: ${v}`),
    `From: ${req.get('from')}`,
    `To: ${req.get('to')}`,
    `Call-ID: ${req.get('call-id')}`,
    `CSeq: ${req.get('cseq')}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('subscription dialogs (UAS)', () => {
  let h: EngineHarness | undefined;
  const apps: SrfApp[] = [];
  const peers: RawUdpPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    for (const a of apps.splice(0)) disconnectSrf(a);
    await stopWhenIdle(h);
    h = undefined;
  });

  async function peer(): Promise<RawUdpPeer> {
    const p = new RawUdpPeer();
    await p.bind();
    peers.push(p);
    return p;
  }

  /** An app accepting every SUBSCRIBE with 200; resolves the dialog id of the first one. */
  async function notifierApp(): Promise<{ srf: SrfApp; dialogId: Promise<string>; inDialog: SrfApp[] }> {
    const srf = await connectSrf(h!);
    apps.push(srf);
    const inDialog: SrfApp[] = [];
    const dialogId = new Promise<string>((resolve) => {
      srf.subscribe((req: SrfApp, res: SrfApp) => {
        if (req.stackDialogId) inDialog.push(req);
        res.send(200, { headers: { Expires: req.get('Expires') ?? '600' } }, () => resolve(res.stackDialogId));
      });
    });
    return { srf, dialogId, inDialog };
  }

  /** Sends a NOTIFY in the dialog; resolves with its final status, or the srf error code. */
  function notify(srf: SrfApp, dialogId: string, state = 'active;expires=600'): Promise<number | string> {
    return new Promise((resolve) => {
      srf.request('sip:placeholder', { method: 'NOTIFY', stackDialogId: dialogId, headers: { Event: 'message-summary', 'Subscription-State': state } }, (err: { code?: string } | null, req: SrfApp) => {
        if (err) return resolve(err.code ?? String(err));
        req.on('response', (res: SrfApp) => {
          if (res.status >= 200) resolve(res.status);
        });
      });
    });
  }

  function subscribe(p: RawUdpPeer, o: { callId: string; cseq: number; toTag?: string; uri?: string; contactPort?: number; expires?: number }): void {
    p.send(
      request({
        method: 'SUBSCRIBE', uri: o.uri ?? `sip:1001@${h!.hostport}`, localPort: p.port, callId: o.callId, cseq: o.cseq, fromTag: 'sub', toTag: o.toTag,
        headers: [`Contact: <sip:1001@127.0.0.1:${o.contactPort ?? p.port}>`, 'Event: message-summary', `Expires: ${o.expires ?? 600}`],
      }),
      h!.sipPort,
    );
  }

  async function established(p: RawUdpPeer, callId: string): Promise<SipResponse> {
    subscribe(p, { callId, cseq: 1 });
    await p.waitFor((m) => m.some((x) => isFinal(x, 'SUBSCRIBE', 1)));
    return p.received.map((r) => r.msg).find((x) => isFinal(x, 'SUBSCRIBE', 1)) as SipResponse;
  }

  it('a 481 to a NOTIFY ends the dialog at once: the next NOTIFY is refused by the engine, not sent', async () => {
    h = await startEngine();
    const { srf, dialogId } = await notifierApp();
    const phone = await peer();
    answerNotifies(phone, 481);
    expect((await established(phone, 'sub-481')).status).toBe(200);
    const id = await dialogId;
    expect(h.engine.stats().dialogs).toBe(1);
    expect(await notify(srf, id)).toBe(481);
    expect(h.engine.stats().dialogs).toBe(0);
    expect(await notify(srf, id, 'terminated')).toBe('ENODIALOG');
    expect(phone.count(isNotify)).toBe(1);
  });

  it('a NOTIFY nobody answers (408) ends the dialog too', async () => {
    h = await startEngine();
    const { srf, dialogId } = await notifierApp();
    const phone = await peer();
    await established(phone, 'sub-408');
    expect(await notify(srf, await dialogId)).toBe(408);
    expect(h.engine.stats().dialogs).toBe(0);
  });

  it('an in-dialog SUBSCRIBE with a new Contact moves the NOTIFYs there', async () => {
    h = await startEngine();
    const { srf, dialogId, inDialog } = await notifierApp();
    const phone = await peer();
    const moved = await peer();
    for (const p of [phone, moved]) answerNotifies(p, 200);
    const ok = await established(phone, 'sub-move');
    const id = await dialogId;
    const target = parseNameAddr(ok.get('contact') ?? '');
    subscribe(phone, { callId: 'sub-move', cseq: 2, toTag: tagOf(ok.get('to') ?? ''), uri: target.ok ? target.value.uri : '', contactPort: moved.port });
    await phone.waitFor((m) => m.some((x) => isFinal(x, 'SUBSCRIBE', 2)));
    expect(inDialog).toHaveLength(1);
    expect(await notify(srf, id, 'terminated')).toBe(200);
    expect(moved.count(isNotify)).toBe(1);
    expect(phone.count(isNotify)).toBe(0);
    expect(h.engine.stats().dialogs).toBe(0);
  });

  it('drops the subscription dialogs of an app that disconnects; the phone\'s refresh gets 481', async () => {
    h = await startEngine();
    const { srf, dialogId } = await notifierApp();
    const phone = await peer();
    const ok = await established(phone, 'sub-gone');
    await dialogId;
    expect(h.engine.stats().dialogs).toBe(1);
    disconnectSrf(srf);
    apps.splice(apps.indexOf(srf), 1);
    const deadline = Date.now() + 3000;
    while (h.engine.stats().apps > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(h.engine.stats()).toMatchObject({ apps: 0, dialogs: 0 });
    subscribe(phone, { callId: 'sub-gone', cseq: 2, toTag: tagOf(ok.get('to') ?? '') });
    await phone.waitFor((m) => m.some((x) => isFinal(x, 'SUBSCRIBE', 2)));
    expect((phone.received.map((r) => r.msg).find((x) => isFinal(x, 'SUBSCRIBE', 2)) as SipResponse).status).toBe(481);
  });
});

