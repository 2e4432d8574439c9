// Re-INVITE handling: hold in both directions, port 0, SSRC/sequence continuity when the far
// side's stream changes, the RTP inactivity timeout and periodic stats.

import { parse } from 'sdp-transform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness([32300, 32499], ['--rtp-timeout', '400', '--stats-interval', '200']);
});
afterAll(async () => {
  await h?.close();
});

async function bridged(callId: string) {
  const c = h.media.client;
  const a = await h.peer();
  const b = await h.peer();
  const legA = await c.createLeg({ callId, offer: a.sdp([PCMU]) });
  const legB = await c.createLeg({ callId, offer: b.sdp([PCMU]) });
  a.useRemote(legA.sdp);
  b.useRemote(legB.sdp);
  await c.bridge(legA.legId, legB.legId);
  return { a, b, legA, legB };
}

describe('re-INVITE', () => {
  it('stops sending to a phone that holds us, answers recvonly, and resumes', async () => {
    const c = h.media.client;
    const { a, b, legA } = await bridged('h1');
    const held = await c.setRemote({ legId: legA.legId, sdp: a.sdp([PCMU], 'sendonly') });
    expect(parse(held.sdp!).media[0]!.direction).toBe('recvonly');
    for (let i = 0; i < 10; i++) b.sendPacket(0, Buffer.alloc(160, 1), { advance: 160 });
    for (let i = 0; i < 10; i++) a.sendPacket(0, Buffer.alloc(160, 2), { advance: 160 });
    await waitFor(() => b.received.length >= 10);
    expect(a.received.length).toBe(0);
    const resumed = await c.setRemote({ legId: legA.legId, sdp: a.sdp([PCMU]) });
    expect(parse(resumed.sdp!).media[0]!.direction).toBe('sendrecv');
    expect(parse(resumed.sdp!).origin!.sessionVersion).toBe(parse(held.sdp!).origin!.sessionVersion + 1);
    for (let i = 0; i < 5; i++) b.sendPacket(0, Buffer.alloc(160, 1), { advance: 160 });
    await waitFor(() => a.received.length >= 5);
    await c.destroyCall('h1');
  });

  it('puts a phone on hold with our own re-offer, and handles port 0', async () => {
    const c = h.media.client;
    const { a, legA } = await bridged('h2');
    const o = await c.reoffer({ legId: legA.legId, direction: 'sendonly' });
    expect(parse(o.sdp).media[0]!.direction).toBe('sendonly');
    await c.setRemote({ legId: legA.legId, sdp: a.sdp([PCMU], 'recvonly') });
    expect((await c.legStats(legA.legId)).direction).toBe('sendonly/recvonly');
    const off = await c.setRemote({ legId: legA.legId, sdp: a.sdp([PCMU]).replace(/m=audio \d+/, 'm=audio 0') });
    expect(parse(off.sdp!).media[0]!.port).toBe(0);
    await c.destroyCall('h2');
  });

  it('keeps one SSRC and continuous sequence numbers when the far side restarts its stream', async () => {
    const c = h.media.client;
    const { a, b } = await bridged('h3');
    for (let i = 0; i < 5; i++) a.sendPacket(0, Buffer.alloc(160, 3), { advance: 160 });
    await waitFor(() => b.received.length >= 5);
    // Same peer, new SSRC and numbering (what a phone does after its own re-INVITE).
    a.restartStream(12345, 40000);
    for (let i = 0; i < 5; i++) a.sendPacket(0, Buffer.alloc(160, 4), { advance: 160 });
    await waitFor(() => b.received.length >= 10);
    expect(new Set(b.received.map((r) => r.ssrc)).size).toBe(1);
    const seqs = b.received.map((r) => r.seq);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000).toBe(1);
    expect(b.received[5]!.marker).toBe(true);
    await c.destroyCall('h3');
  });

  it('reports RTP inactivity and periodic stats', async () => {
    const c = h.media.client;
    const a = await h.peer();
    const leg = await c.createLeg({ callId: 'h4', offer: a.sdp([PCMU]) });
    a.useRemote(leg.sdp);
    const stats = c.stats.next((s) => s.legId === leg.legId && !s.final);
    const timeout = c.rtpTimeout.next((e) => e.legId === leg.legId);
    a.sendPacket(0, Buffer.alloc(160, 5), { advance: 160 });
    const [[s], [t]] = await Promise.all([stats, timeout]);
    expect(s.rx.packets).toBe(1);
    expect(t.silentMs).toBeGreaterThanOrEqual(400);
    const final = c.stats.next((x) => x.legId === leg.legId && x.final);
    await c.destroyLeg(leg.legId);
    expect((await final)[0].rx.packets).toBe(1);
  });
});
