// RFC 3261 §13.3.1.4 / §17.2.1 on the wire: the 2xx is re-sent at T1, 2T1, 4T1… capped at T2 while
// the ACK is withheld, then the engine hangs up; retransmitted INVITEs never reach the app twice.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../support/fake-clock.ts';
import { connectSrf, disconnectSrf, startEngine, stopWhenIdle, SDP, type EngineHarness, type SrfApp } from '../../support/engine-harness.ts';
import { RawUdpPeer } from '../../support/raw-udp-peer.ts';

const T1 = 40;
const T2 = 320;

function invite(peerPort: number, enginePort: number, branch: string): string {
  const body = SDP(7000);
  return [
    `INVITE sip:100@127.0.0.1:${enginePort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:alice@127.0.0.1:${peerPort}>;tag=a1`,
    `To: <sip:100@127.0.0.1:${enginePort}>`,
    'Call-ID: retrans-1@test',
    'CSeq: 1 INVITE',
    `Contact: <sip:alice@127.0.0.1:${peerPort}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

describe('UAS 2xx retransmission without ACK', () => {
  let h: EngineHarness | undefined;
  let srf: SrfApp;
  let peer: RawUdpPeer | undefined;
  let clock: FakeClock;
  afterEach(async () => {
    peer?.close();
    if (srf) disconnectSrf(srf);
    await stopWhenIdle(h, (ms) => clock.advance(ms));
  });

  it('re-sends 200 at T1, 2T1, 4T1 capped at T2, then BYEs at 64*T1; INVITE retransmissions reach the app once', async () => {
    clock = new FakeClock();
    h = await startEngine({ protocols: ['udp'], clock });
    srf = await connectSrf(h);
    let invites = 0;
    const destroyed: string[] = [];
    srf.invite(async (req: SrfApp, res: SrfApp) => {
      invites++;
      const dlg = await srf.createUAS(req, res, { localSdp: SDP(8000) });
      dlg.on('destroy', (_m: unknown, reason: string) => destroyed.push(reason));
    });
    peer = new RawUdpPeer();
    await peer.bind();
    peer.send(invite(peer.port, h.sipPort, 'z9hG4bKretrans1'), h.sipPort);
    await peer.waitFor((m) => m.some((x) => x.kind === 'response' && x.status === 200));
    // A retransmitted INVITE (same branch) after the 200: absorbed by the transaction.
    peer.send(invite(peer.port, h.sipPort, 'z9hG4bKretrans1'), h.sipPort);
    const ok = () => peer!.count((m) => m.kind === 'response' && m.status === 200);
    expect(ok()).toBe(1);

    // Expected schedule of retransmissions (ms after the first 200): 40, 120, 280, 600, 920, …
    const expected: number[] = [];
    for (let t = 0, gap = T1; t + gap < 64 * T1; gap = Math.min(gap * 2, T2)) expected.push((t += gap));
    let now = 0;
    for (const [i, at] of expected.entries()) {
      clock.advance(at - now - 1);
      now = at - 1;
      await settle();
      expect(ok(), `before retransmission ${i + 1}`).toBe(i + 1);
      clock.advance(1);
      now = at;
      await peer.waitFor(() => ok() === i + 2);
    }
    expect(peer.count((m) => m.kind === 'request' && m.method === 'BYE')).toBe(0);
    clock.advance(64 * T1 - now);
    await peer.waitFor((m) => m.some((x) => x.kind === 'request' && x.method === 'BYE'));
    const bye = peer.received.find((r) => r.msg.kind === 'request' && r.msg.method === 'BYE')!.msg;
    expect(bye.get('reason')).toContain('ACK timeout');
    await waitUntil(() => destroyed.length === 1);
    expect(destroyed[0]).toBe('ACK timeout');
    expect(invites).toBe(1);
  });
});

async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 20));
}

async function waitUntil(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
