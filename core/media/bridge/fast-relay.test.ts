// The native pass-through relay (bridge/fast-relay.ts, native/src/relay-route.h) against the
// behaviour of the JavaScript relay it stands in for: header rewriting across a source switch,
// statistics, latching, RFC 4733 events and the RTP timeout. Real sockets on loopback, the media
// server in-process on the native UDP layer with its real clock. No timing is asserted.

import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaConfig } from '../config.ts';
import type { MediaEvent } from '../control/protocol.ts';
import { isNativeAvailable } from '../native/index.ts';
import { seqDelta, tsDelta } from '../rtp/seq.ts';
import { encodeInto, encodedSize } from '../rtp/rtp-packet.ts';
import { MediaServer } from '../server.ts';
import { waitFor } from '../testing/harness.ts';
import { RtpPeer, type PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };
const TE: PeerPayload = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `count` PCMU packets at 20 ms pacing (bounded), continuing the peer's stream. */
async function speak(peer: RtpPeer, count: number, fill = 0x55): Promise<void> {
  for (let i = 0; i < count; i++) {
    peer.sendPacket(0, Buffer.alloc(160, fill), { advance: 160 });
    await sleep(20);
  }
}

describe.skipIf(!isNativeAvailable())('native pass-through relay', () => {
  let server: MediaServer;
  const events: MediaEvent[] = [];
  const peers: RtpPeer[] = [];
  const peer = async (opts: { natPort?: boolean } = {}): Promise<RtpPeer> => {
    const p = await RtpPeer.open(opts);
    peers.push(p);
    return p;
  };
  const relayed = async (): Promise<number> => (await server.request('status', {})).udpCounters?.['relayed'] ?? 0;

  beforeEach(() => {
    server = new MediaServer(mediaConfig({ portMin: 32500, portMax: 32599, udpIo: 'native', rtpTimeoutMs: 1000, housekeepingMs: 100 }));
    server.events.on((e) => events.push(e));
    server.start();
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    events.length = 0;
    await server.close();
  });

  async function call(a: RtpPeer, b: RtpPeer, callId: string): Promise<{ legA: string; legB: string }> {
    const legA = await server.request('leg.create', { callId, offer: a.sdp([PCMU, TE]) });
    const legB = await server.request('leg.create', { callId, offer: b.sdp([PCMU, TE]) });
    a.useRemote(legA.sdp);
    b.useRemote(legB.sdp);
    const br = await server.request('bridge.create', { legA: legA.legId, legB: legB.legId });
    expect(br.modes).toEqual({ ab: 'relay', ba: 'relay' });
    return { legA: legA.legId, legB: legB.legId };
  }

  it('relays in the addon with SSRC, sequence and timestamp rewritten, across a source switch, and keeps the stats', async () => {
    const a = await peer();
    const b = await peer();
    const { legA, legB } = await call(a, b, 'n1');
    const before = await relayed();
    await speak(a, 30);
    await waitFor(() => b.received.length >= 30);
    // The first packet latches and sets up the stream in JavaScript; the rest need not reach it.
    expect((await relayed()) - before).toBeGreaterThanOrEqual(20);

    // A re-INVITE on A's side: a new SSRC and sequence space. JavaScript rebases, the addon goes on.
    a.restartStream(0x1234_5678, 40000);
    await speak(a, 30);
    await waitFor(() => b.received.length >= 60);

    const got = b.received.slice(0, 60);
    expect(new Set(got.map((r) => r.ssrc)).size).toBe(1);
    expect(got.every((r) => r.pt === 0)).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(seqDelta(got[i - 1]!.seq, got[i]!.seq)).toBe(1);
      expect(tsDelta(got[i - 1]!.ts, got[i]!.ts)).toBeGreaterThan(0);
    }
    // Within one source the timestamp advances as the source's does; at the switch the marker is set.
    expect(tsDelta(got[10]!.ts, got[11]!.ts)).toBe(160);
    expect(got[30]!.marker).toBe(true);
    expect(got.slice(31).some((r) => r.marker)).toBe(false);
    expect((await relayed()) - before).toBeGreaterThanOrEqual(45);

    const sa = await server.request('leg.stats', { legId: legA });
    const sb = await server.request('leg.stats', { legId: legB });
    expect(sa.rx.packets).toBe(30); // per SSRC, as RFC 3550 counts: the second stream's packets
    expect(sa.rx.octets).toBe(30 * 160);
    expect(sa.rx.lost).toBe(0);
    expect(sb.tx.packets).toBe(60);
    expect(sb.tx.ssrc).toBe(got[0]!.ssrc);
    expect(sb.tx.octets).toBe(60 * 160);
  });

  it('relays only the latched source natively; a stranger is dropped while the latch is alive', async () => {
    const a = await peer({ natPort: true });
    const b = await peer();
    const { legA } = await call(a, b, 'n2');
    const before = await relayed();
    await speak(a, 10);
    await waitFor(() => b.received.length >= 10);
    const legAPort = (await server.request('leg.stats', { legId: legA })).localPort;

    const stranger = dgram.createSocket('udp4');
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
    try {
      const pkt = Buffer.alloc(encodedSize(160));
      for (let i = 0; i < 5; i++) {
        encodeInto(pkt, 0, { marker: false, payloadType: 0, sequenceNumber: 100 + i, timestamp: 1000 + 160 * i, ssrc: 0xdead }, Buffer.alloc(160, 0x22));
        stranger.send(pkt, legAPort, '127.0.0.1');
      }
      await speak(a, 10);
      await waitFor(() => b.received.length >= 20);
      await sleep(100);
    } finally {
      stranger.close();
    }
    expect(b.received.every((r) => r.payload[0] === 0x55)).toBe(true);
    const sa = await server.request('leg.stats', { legId: legA });
    expect(sa.rx.rejectedSource).toBe(5);
    expect(sa.latched).toBe(`127.0.0.1:${a.sendPort}`);
    expect((await relayed()) - before).toBeGreaterThanOrEqual(15);
  });

  it('still reports and relays RFC 4733 digits while the audio is relayed natively', async () => {
    const a = await peer();
    const b = await peer();
    const { legA } = await call(a, b, 'n3');
    const before = await relayed();
    await speak(a, 10);
    await waitFor(() => b.received.length >= 10);
    await a.streamDigits('47', 101, 100, 60);
    await speak(a, 10);
    await waitFor(() => b.receivedDigits(101).length >= 2 && events.filter((e) => e.event === 'dtmf').length >= 2);
    const digits = events.filter((e): e is Extract<MediaEvent, { event: 'dtmf' }> => e.event === 'dtmf' && e.data.legId === legA);
    expect(digits.map((d) => d.data.digit).join('')).toBe('47');
    expect(b.receivedDigits(101).map((d) => d.digit).join('')).toBe('47');
    // Audio and events leave as one stream, and the audio around the digits went through the addon.
    expect(new Set(b.received.map((r) => r.ssrc)).size).toBe(1);
    expect((await relayed()) - before).toBeGreaterThanOrEqual(15);
  });

  it('counts natively relayed packets against the RTP timeout', async () => {
    const a = await peer();
    const b = await peer();
    const { legA } = await call(a, b, 'n4');
    const timedOut = (): boolean => events.some((e) => e.event === 'rtpTimeout' && e.data.legId === legA);
    // Three times the timeout of steady audio from A (B never sends, so B's leg may time out).
    await speak(a, 150);
    expect(timedOut()).toBe(false);
    await waitFor(timedOut, 5000);
  });
});
