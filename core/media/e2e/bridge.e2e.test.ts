// End to end: the media server as a child process, driven by the client library, with two RTP
// peers written here. Tolerance for tone levels: ±3 dB through one G.711 transcode. Run on both UDP
// layers: the native batched one (the default) and Node's dgram (the fallback without the addon).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };
const PCMA: PeerPayload = { pt: 8, name: 'PCMA', rate: 8000 };
const TE: PeerPayload = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };

const layers: ['native' | 'dgram', [number, number]][] = [
  ['native', [31000, 31099]],
  ['dgram', [31100, 31199]],
];

describe.each(layers)('bridge over %s UDP', (udpIo, ports) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(ports, ['--udp-io', udpIo]);
    expect((await h.media.client.status()).udpIo).toBe(udpIo);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('carries audio both ways and transcodes PCMU to PCMA with the tone intact', async () => {
    const c = h.media.client;
    const a = await h.peer();
    const b = await h.peer();
    const legA = await c.createLeg({ callId: 'call-1', offer: a.sdp([PCMU, TE]) });
    const legB = await c.createLeg({ callId: 'call-1', offer: b.sdp([PCMA, TE]) });
    const ra = a.useRemote(legA.sdp);
    const rb = b.useRemote(legB.sdp);
    expect(ra.pt('PCMU')).toBe(0);
    expect(rb.pt('PCMA')).toBe(8);
    const br = await c.bridge(legA.legId, legB.legId);
    expect(br.modes).toEqual({ ab: 'transcode', ba: 'transcode' });

    const toneA = sine(1000, 8000, 1000, -12);
    const toneB = sine(600, 8000, 1000, -12);
    await Promise.all([a.streamPcm(toneA, findCodec('PCMU')!, 0), b.streamPcm(toneB, findCodec('PCMA')!, 8)]);
    await waitFor(() => b.received.filter((r) => r.pt === 8).length >= 40 && a.received.filter((r) => r.pt === 0).length >= 40);
    const atB = b.decode(findCodec('PCMA')!, 8);
    const atA = a.decode(findCodec('PCMU')!, 0);
    // Skip the jitter-buffer warm-up; the middle of the stream is the steady state.
    const mid = (x: Int16Array) => x.subarray(1600, Math.min(x.length, 1600 + 4000));
    expect(toneLevel(mid(atB), 8000, 1000)).toBeGreaterThan(-15);
    expect(toneLevel(mid(atB), 8000, 1000)).toBeLessThan(-9);
    expect(toneLevel(mid(atA), 8000, 600)).toBeGreaterThan(-15);
    expect(toneLevel(mid(atA), 8000, 1000)).toBeLessThan(-40);
    // One outgoing stream per leg: a single SSRC.
    expect(new Set(b.received.map((r) => r.ssrc)).size).toBe(1);
    await c.destroyCall('call-1');
  });

  it('passes PCMU through untouched when both legs use it', async () => {
    const c = h.media.client;
    const a = await h.peer();
    const b = await h.peer();
    const legA = await c.createLeg({ callId: 'call-2', offer: a.sdp([PCMU]) });
    const legB = await c.createLeg({ callId: 'call-2', offer: b.sdp([PCMU]) });
    a.useRemote(legA.sdp);
    b.useRemote(legB.sdp);
    const br = await c.bridge(legA.legId, legB.legId);
    expect(br.modes).toEqual({ ab: 'relay', ba: 'relay' });
    const payload = Buffer.alloc(160, 0x55);
    for (let i = 0; i < 20; i++) a.sendPacket(0, payload, { advance: 160 });
    await waitFor(() => b.received.length >= 20);
    expect(b.received.every((r) => r.payload.equals(payload))).toBe(true);
    // sequence numbers continuous after rewriting
    const seqs = b.received.map((r) => r.seq);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i]! - seqs[i - 1]! + 0x10000) % 0x10000).toBe(1);
    await c.destroyCall('call-2');
  });

  it('latches to the real source port (NAT) and still delivers media', async () => {
    const c = h.media.client;
    const a = await h.peer({ natPort: true });
    const b = await h.peer();
    const legA = await c.createLeg({ callId: 'call-3', offer: a.sdp([PCMU]) });
    const legB = await c.createLeg({ callId: 'call-3', offer: b.sdp([PCMU]) });
    a.useRemote(legA.sdp);
    b.useRemote(legB.sdp);
    await c.bridge(legA.legId, legB.legId);
    expect(a.sendPort).not.toBe(a.port);
    a.sendPacket(0, Buffer.alloc(160, 0xff), { advance: 160 }); // A speaks first, from its NAT port
    await waitFor(() => b.received.length >= 1);
    for (let i = 0; i < 10; i++) b.sendPacket(0, Buffer.alloc(160, 0x11), { advance: 160 });
    await waitFor(() => a.received.length >= 10);
    expect(a.received.every((r) => r.from === a.sendPort)).toBe(true);
    const stats = await c.legStats(legA.legId);
    expect(stats.latched).toBe(`127.0.0.1:${a.sendPort}`);
    await c.destroyCall('call-3');
    const status = await c.status();
    expect(status.legs).toBe(0);
    expect(status.portsInUse).toBe(0);
  });
});
