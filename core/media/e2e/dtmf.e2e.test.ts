import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DtmfDetector, dtmfSequence } from '../codecs/dtmf/index.ts';
import { findCodec } from '../codec-lookup.ts';
import type { EventMap } from '../control/protocol.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };
const TE: PeerPayload = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };

let h: Harness;
beforeAll(async () => {
  h = await startHarness([31200, 31399]);
});
afterAll(async () => {
  await h?.close();
});

function collect(legId: string): EventMap['dtmf'][] {
  const got: EventMap['dtmf'][] = [];
  h.media.client.dtmf.on((d) => d.legId === legId && got.push(d));
  return got;
}

describe('DTMF', () => {
  it('reports RFC 4733 digits with their durations', async () => {
    const a = await h.peer();
    const leg = await h.media.client.createLeg({ callId: 'd1', offer: a.sdp([PCMU, TE]) });
    const pt = a.useRemote(leg.sdp).pt('telephone-event')!;
    expect(pt).toBe(101);
    const got = collect(leg.legId);
    await a.streamDigits('159#', pt, 100, 60);
    await waitFor(() => got.length >= 4);
    expect(got.map((d) => d.digit).join('')).toBe('159#');
    expect(got.every((d) => d.source === 'rfc4733' && d.durationMs === 100)).toBe(true);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('detects in-band DTMF in a PCMU stream when the peer has no telephone-event', async () => {
    const a = await h.peer();
    const leg = await h.media.client.createLeg({ callId: 'd2', offer: a.sdp([PCMU]) });
    a.useRemote(leg.sdp);
    const got = collect(leg.legId);
    const pcm = dtmfSequence('72*', { toneMs: 100, gapMs: 100 });
    const padded = new Int16Array(pcm.length + 1600);
    padded.set(pcm, 800);
    await a.streamPcm(padded, findCodec('PCMU')!, 0);
    await waitFor(() => got.length >= 3);
    expect(got.map((d) => d.digit).join('')).toBe('72*');
    // In-band durations follow the audio as played out, so a stalled sender can stretch or shrink them.
    for (const d of got) expect(d).toMatchObject({ source: 'inband', durationMs: expect.any(Number) });
    for (const d of got) expect(Math.abs(d.durationMs - 100)).toBeLessThanOrEqual(60);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('sends digits as RFC 4733 events a peer decodes, or in-band without telephone-event', async () => {
    const a = await h.peer();
    const leg = await h.media.client.createLeg({ callId: 'd3', offer: a.sdp([PCMU, TE]) });
    a.useRemote(leg.sdp);
    await h.media.client.sendDtmf({ legId: leg.legId, digits: '42#', durationMs: 120 });
    await waitFor(() => a.receivedDigits(101).length >= 3);
    expect(a.receivedDigits(101)).toEqual([
      { digit: '4', durationMs: 120 },
      { digit: '2', durationMs: 120 },
      { digit: '#', durationMs: 120 },
    ]);
    // RFC 4733 §2.5.1.2: the End packet goes out three times with the same timestamp.
    expect(a.received.filter((r) => r.pt === 101 && (r.payload[1]! & 0x80) !== 0).length).toBe(9);

    const b = await h.peer();
    const legB = await h.media.client.createLeg({ callId: 'd3', offer: b.sdp([PCMU]) });
    b.useRemote(legB.sdp);
    await h.media.client.sendDtmf({ legId: legB.legId, digits: '8', durationMs: 100 });
    await waitFor(() => b.received.length >= 5);
    const det = new DtmfDetector();
    const heard = [...det.process(b.decode(findCodec('PCMU')!, 0)), ...det.process(new Int16Array(800))].filter((d) => d.type === 'end');
    expect(heard.map((d) => d.digit)).toEqual(['8']);
    await h.media.client.destroyCall('d3');
  });

  it('relays RFC 4733 across a bridge, and turns it into tones for a leg without telephone-event', async () => {
    const c = h.media.client;
    const a = await h.peer();
    const b = await h.peer();
    const legA = await c.createLeg({ callId: 'd4', offer: a.sdp([PCMU, TE]) });
    const legB = await c.createLeg({ callId: 'd4', offer: b.sdp([PCMU, TE]) });
    a.useRemote(legA.sdp);
    b.useRemote(legB.sdp);
    await c.bridge(legA.legId, legB.legId);
    await a.streamDigits('6*', 101, 100, 60);
    await waitFor(() => b.receivedDigits(101).length >= 2);
    expect(b.receivedDigits(101).map((d) => d.digit).join('')).toBe('6*');
    await c.destroyCall('d4');

    const x = await h.peer();
    const y = await h.peer();
    const legX = await c.createLeg({ callId: 'd5', offer: x.sdp([PCMU, TE]) });
    const legY = await c.createLeg({ callId: 'd5', offer: y.sdp([PCMU]) });
    x.useRemote(legX.sdp);
    y.useRemote(legY.sdp);
    await c.bridge(legX.legId, legY.legId);
    const seen = collect(legX.legId);
    await x.streamDigits('0', 101, 100, 60);
    await waitFor(() => seen.length >= 1);
    await waitFor(() => y.received.length >= 5);
    const det = new DtmfDetector();
    const heard = [...det.process(y.decode(findCodec('PCMU')!, 0)), ...det.process(new Int16Array(800))].filter((d) => d.type === 'end');
    expect(heard.map((d) => d.digit)).toEqual(['0']);
    await c.destroyCall('d5');
  });
});
