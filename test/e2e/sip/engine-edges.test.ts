// The engine's duties srf never sees: bad input, limits, keep-alives, rport, connection reuse,
// app routing, and CANCEL in every state — each against real loopback sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, waitIdle, SDP, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { RawUdpPeer } from '../../support/raw-udp-peer.ts';
import { RawTcpPeer } from '../../support/raw-tcp-peer.ts';
import { request } from '../../support/sip-text.ts';
import { tagOf, type SipMessage, type SipResponse } from '../../../core/sip/parser/index.ts';

const isResponse = (m: SipMessage, status: number): m is SipResponse => m.kind === 'response' && m.status === status;

describe('engine edge behaviour', () => {
  let h: EngineHarness | undefined;
  const apps: SrfApp[] = [];
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) c();
    for (const a of apps.splice(0)) disconnectSrf(a);
    await stopWhenIdle(h);
    h = undefined;
  });

  async function udpPeer(): Promise<RawUdpPeer> {
    const p = new RawUdpPeer();
    await p.bind();
    closers.push(() => p.close());
    return p;
  }
  async function tcpPeer(): Promise<RawTcpPeer> {
    const p = new RawTcpPeer();
    await p.connect(h!.sipPort);
    closers.push(() => p.close());
    return p;
  }
  async function app(): Promise<SrfApp> {
    const a = await connectSrf(h!);
    apps.push(a);
    return a;
  }

  it('answers a malformed but identifiable request with 400 naming the fault, drops garbage, keeps serving', async () => {
    h = await startEngine();
    const srf = await app();
    srf.options((_req: SrfApp, res: SrfApp) => res.send(200));
    const peer = await udpPeer();
    const uri = `sip:100@${h.hostport}`;
    peer.send('this is not SIP at all\r\n\r\n', h.sipPort);
    peer.send(request({ method: 'OPTIONS', uri, localPort: peer.port }).replace(/CSeq: 1 OPTIONS/, 'CSeq: 1 INVITE'), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 400)));
    const bad = peer.received.find((r) => isResponse(r.msg, 400))!.msg as SipResponse;
    expect(bad.reason).toMatch(/CSeq/i);
    peer.send(request({ method: 'OPTIONS', uri, localPort: peer.port }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 200)));
    expect(h.engine.stats().counters.malformed).toBe(2);
  });

  it('answers an oversize UDP request with 513 and closes a TCP connection that exceeds its limit', async () => {
    h = await startEngine({ config: { maxUdpBytes: 2000, maxTcpBytes: 4096 } });
    await app();
    const peer = await udpPeer();
    const big = 'X-Pad: ' + 'a'.repeat(3000);
    peer.send(request({ method: 'OPTIONS', uri: `sip:100@${h.hostport}`, localPort: peer.port, headers: [big] }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 513)));
    const tcp = await tcpPeer();
    tcp.send(request({ method: 'OPTIONS', uri: `sip:100@${h.hostport};transport=tcp`, transport: 'TCP', localPort: tcp.localPort, headers: ['X-Pad: ' + 'b'.repeat(8000)] }));
    await tcp.waitFor(() => tcp.closed);
  });

  it('answers a CRLFCRLF keep-alive on TCP with CRLF (RFC 5626 §4.4.1)', async () => {
    h = await startEngine();
    const tcp = await tcpPeer();
    tcp.send('\r\n\r\n');
    await tcp.waitFor(() => tcp.raw === '\r\n');
    expect(h.engine.stats().connections).toBe(1);
  });

  it('replies to the packet source with rport and received filled in (RFC 3581)', async () => {
    h = await startEngine();
    const srf = await app();
    srf.options((_req: SrfApp, res: SrfApp) => res.send(200));
    const peer = await udpPeer();
    // The Via claims port 5999; the reply must still reach the port the request came from.
    const text = request({ method: 'OPTIONS', uri: `sip:100@${h.hostport}`, localPort: 5999 });
    peer.send(text, h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 200)));
    const via = peer.received[0]!.msg.get('via')!;
    expect(via).toContain(`rport=${peer.port}`);
    expect(via).toContain('received=127.0.0.1');
  });

  it('503 when no app routed the method; 481 for BYE and CANCEL outside any dialog', async () => {
    h = await startEngine();
    const peer = await udpPeer();
    const uri = `sip:100@${h.hostport}`;
    peer.send(request({ method: 'MESSAGE', uri, localPort: peer.port, headers: ['Content-Type: text/plain'], body: 'hi' }), h.sipPort);
    peer.send(request({ method: 'BYE', uri, localPort: peer.port, toTag: 'nope' }), h.sipPort);
    peer.send(request({ method: 'CANCEL', uri, localPort: peer.port }), h.sipPort);
    await peer.waitFor((m) => m.filter((x) => x.kind === 'response').length >= 3);
    const codes = peer.received.map((r) => (r.msg as SipResponse).status).sort();
    expect(codes).toEqual([481, 481, 503]);
  });

  it('spreads new requests round-robin across the apps that routed the method', async () => {
    h = await startEngine();
    const counts = [0, 0];
    for (const i of [0, 1]) {
      const a = await app();
      a.options((_req: SrfApp, res: SrfApp) => {
        counts[i]!++;
        res.send(200);
      });
    }
    await new Promise((r) => setTimeout(r, 100)); // route frames are fire-and-forget in srf
    const peer = await udpPeer();
    for (let i = 0; i < 4; i++) peer.send(request({ method: 'OPTIONS', uri: `sip:100@${h.hostport}`, localPort: peer.port }), h.sipPort);
    await peer.waitFor((m) => m.filter((x) => isResponse(x, 200)).length === 4);
    expect(counts).toEqual([2, 2]);
  });

  it('answers 408 for an app that never responds, and 480 for requests of an app that disconnects', async () => {
    h = await startEngine();
    const silent = await app();
    silent.options(() => {}); // never answers
    silent.message(() => {});
    const peer = await udpPeer();
    peer.send(request({ method: 'OPTIONS', uri: `sip:100@${h.hostport}`, localPort: peer.port }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 408)), 6000);
    peer.send(request({ method: 'MESSAGE', uri: `sip:100@${h.hostport}`, localPort: peer.port, headers: ['Content-Type: text/plain'], body: 'hi' }), h.sipPort);
    await waitFor(() => h!.engine.stats().pendingIncoming === 1);
    disconnectSrf(apps.pop()!);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 480)));
  });

  it('refuses an app with the wrong secret', async () => {
    h = await startEngine();
    await expect(connectSrf({ ...h, secret: 'wrong' })).rejects.toThrow(/authenticate/);
  });

  it('reaches a phone that registered over TCP through its own connection (drachtio §3.1)', async () => {
    h = await startEngine();
    const srf = await app();
    srf.register((req: SrfApp, res: SrfApp) => res.send(200, { headers: { Contact: req.get('Contact'), Expires: '600' } }));
    const phone = await tcpPeer();
    // The Contact names a port nobody listens on, as a phone behind NAT would.
    phone.send(request({ method: 'REGISTER', uri: `sip:${h.hostport};transport=tcp`, transport: 'TCP', localPort: phone.localPort, headers: ['Contact: <sip:alice@127.0.0.1:1;transport=tcp>', 'Expires: 600'] }));
    await phone.waitFor(() => phone.messages.some((m) => isResponse(m, 200)));
    const req = await new Promise<SrfApp>((resolve, reject) =>
      srf.request('sip:alice@127.0.0.1:1;transport=tcp', { method: 'OPTIONS' }, (err: Error, r: SrfApp) => (err ? reject(err) : resolve(r))),
    );
    await phone.waitFor(() => phone.messages.some((m) => m.kind === 'request' && m.method === 'OPTIONS'));
    const options = phone.messages.find((m) => m.kind === 'request' && m.method === 'OPTIONS')!;
    const got = new Promise<number>((resolve) => req.on('response', (res: SrfApp) => resolve(res.status)));
    phone.send(
      ['SIP/2.0 200 OK', ...options.headers.filter((x) => ['via', 'from', 'to', 'call-id', 'cseq'].includes(x.name)).map((x) => `${x.rawName}: ${x.value}${x.name === 'to' ? ';tag=p1' : ''}`), 'Content-Length: 0', '', ''].join('\r\n'),
    );
    expect(await got).toBe(200);
    expect(h.engine.stats().connections).toBe(1);
  });

  it('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, the app sees the cancel', async () => {
    h = await startEngine();
    const srf = await app();
    const outcome: string[] = [];
    srf.invite((req: SrfApp, res: SrfApp) => {
      req.on('cancel', () => outcome.push('cancel'));
      res.send(180);
    });
    const peer = await udpPeer();
    const branch = 'z9hG4bKcancel1';
    const inv = { method: 'INVITE', uri: `sip:100@${h.hostport}`, localPort: peer.port, branch, callId: 'c-before@test', fromTag: 'before', body: SDP(), headers: ['Content-Type: application/sdp', `Contact: <sip:alice@127.0.0.1:${peer.port}>`] };
    peer.send(request(inv), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 180)));
    peer.send(request({ ...inv, method: 'CANCEL', body: '', headers: [] }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 487)) && m.some((x) => isResponse(x, 200)));
    const r487 = peer.received.find((r) => isResponse(r.msg, 487))!.msg;
    expect(tagOf(r487.get('to')!)).toBe(tagOf(peer.received.find((r) => isResponse(r.msg, 180))!.msg.get('to')!));
    peer.send(request({ ...inv, method: 'ACK', body: '', headers: [], toTag: tagOf(r487.get('to')!) }), h.sipPort);
    await waitFor(() => outcome.includes('cancel'));
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0 });
  });

  it('CANCEL that crosses the 200 OK has no effect; the caller ACKs and BYEs (RFC 3261 §9.2)', async () => {
    h = await startEngine();
    const srf = await app();
    const events: string[] = [];
    srf.invite(async (req: SrfApp, res: SrfApp) => {
      const dlg = await srf.createUAS(req, res, { localSdp: SDP(8200) });
      dlg.on('destroy', () => events.push('destroy'));
    });
    const peer = await udpPeer();
    const inv = { method: 'INVITE', uri: `sip:100@${h.hostport}`, localPort: peer.port, branch: 'z9hG4bKrace1', callId: 'c-race@test', fromTag: 'race', body: SDP(), headers: ['Content-Type: application/sdp', `Contact: <sip:alice@127.0.0.1:${peer.port}>`] };
    peer.send(request(inv), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 200)));
    const ok = peer.received.find((r) => isResponse(r.msg, 200))!.msg;
    peer.send(request({ ...inv, method: 'CANCEL', body: '', headers: [] }), h.sipPort);
    await peer.waitFor((m) => m.filter((x) => isResponse(x, 200)).length >= 2);
    expect(peer.count((m) => isResponse(m, 487))).toBe(0);
    const toTag = tagOf(ok.get('to')!);
    peer.send(request({ ...inv, method: 'ACK', branch: 'z9hG4bKrace1ack', body: '', headers: [], toTag }), h.sipPort);
    peer.send(request({ ...inv, method: 'BYE', branch: 'z9hG4bKrace1bye', cseq: 2, body: '', headers: [], toTag }), h.sipPort);
    await peer.waitFor((m) => m.filter((x) => isResponse(x, 200)).length >= 3);
    expect(peer.count((m) => isResponse(m, 481))).toBe(0);
    await waitFor(() => events.includes('destroy'));
    expect(h.engine.stats().counters.engineByes ?? 0).toBe(0); // the caller's BYE ended it, not an ACK timeout
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0 });
  });

  it('delivers an UPDATE in the early dialog to the app with the INVITE (RFC 3311), and its answer to the caller', async () => {
    h = await startEngine();
    const srf = await app();
    const seen: string[] = [];
    srf.invite((req: SrfApp, res: SrfApp) => {
      req.on('update', (ureq: SrfApp, ures: SrfApp) => {
        seen.push(`update ${ureq.body.includes('a=sendonly') ? 'sendonly' : 'other'}`);
        ures.send(200, { body: SDP(8600, 'recvonly') });
        setTimeout(() => res.send(486), 50);
      });
      res.send(180);
    });
    const peer = await udpPeer();
    const inv = { method: 'INVITE', uri: `sip:100@${h.hostport}`, localPort: peer.port, branch: 'z9hG4bKupd1', callId: 'c-update@test', fromTag: 'upd', body: SDP(), headers: ['Content-Type: application/sdp', `Contact: <sip:alice@127.0.0.1:${peer.port}>`] };
    peer.send(request(inv), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 180)));
    const toTag = tagOf(peer.received.find((r) => isResponse(r.msg, 180))!.msg.get('to')!);
    peer.send(request({ ...inv, method: 'UPDATE', branch: 'z9hG4bKupd2', cseq: 2, toTag, body: SDP(7000, 'sendonly') }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 200) && (x.get('cseq') ?? '').includes('UPDATE')));
    const ok = peer.received.find((r) => isResponse(r.msg, 200))!.msg;
    expect(ok.body.toString()).toContain('a=recvonly');
    await peer.waitFor((m) => m.some((x) => isResponse(x, 486)));
    peer.send(request({ ...inv, method: 'ACK', body: '', headers: [], toTag }), h.sipPort);
    expect(seen).toEqual(['update sendonly']);
  });

  it('answers a re-INVITE that arrives before the ACK of the 2xx with 491 (RFC 3261 §14.2)', async () => {
    h = await startEngine();
    const srf = await app();
    srf.invite((req: SrfApp, res: SrfApp) => void srf.createUAS(req, res, { localSdp: SDP(8400) }).catch(() => {}));
    const peer = await udpPeer();
    const inv = { method: 'INVITE', uri: `sip:100@${h.hostport}`, localPort: peer.port, branch: 'z9hG4bKglare1', callId: 'c-glare@test', fromTag: 'glare', body: SDP(), headers: ['Content-Type: application/sdp', `Contact: <sip:alice@127.0.0.1:${peer.port}>`] };
    peer.send(request(inv), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 200)));
    const toTag = tagOf(peer.received.find((r) => isResponse(r.msg, 200))!.msg.get('to')!);
    peer.send(request({ ...inv, branch: 'z9hG4bKglare2', cseq: 2, toTag }), h.sipPort);
    await peer.waitFor((m) => m.some((x) => isResponse(x, 491)));
    peer.send(request({ ...inv, method: 'ACK', branch: 'z9hG4bKglare1ack', body: '', headers: [], toTag }), h.sipPort);
    peer.send(request({ ...inv, method: 'BYE', branch: 'z9hG4bKglare3', cseq: 3, body: '', headers: [], toTag }), h.sipPort);
    await peer.waitFor((m) => m.filter((x) => isResponse(x, 200)).length >= 2);
    expect(peer.count((m) => isResponse(m, 481))).toBe(0);
    expect(await waitIdle(h)).toMatchObject({ transactions: 0, dialogs: 0, pendingIncoming: 0 });
  });
});

async function waitFor(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
