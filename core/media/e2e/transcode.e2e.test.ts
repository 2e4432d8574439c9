// A 1 kHz tone sent as PCMU must arrive as PCMA, Opus and G.722 on the far leg, still detectable
// and within ±3 dB of the level sent (Opus and G.722 are lossy, and there is an 8 k→16 k resample).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { encodeWav } from '../player/wav.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };
const far: [string, PeerPayload][] = [
  ['PCMA', { pt: 8, name: 'PCMA', rate: 8000 }],
  ['opus', { pt: 111, name: 'opus', rate: 48000, channels: 2, fmtp: 'useinbandfec=1' }],
  ['G722', { pt: 9, name: 'G722', rate: 8000 }],
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness([31600, 31799]);
});
afterAll(async () => {
  await h?.close();
});

describe('transcoding', () => {
  it.each(far)('PCMU → %s keeps a 1 kHz tone', async (name, payload) => {
    const c = h.media.client;
    const a = await h.peer();
    const b = await h.peer();
    const legA = await c.createLeg({ callId: `t-${name}`, offer: a.sdp([PCMU]) });
    const legB = await c.createLeg({ callId: `t-${name}`, offer: b.sdp([payload]) });
    a.useRemote(legA.sdp);
    expect(b.useRemote(legB.sdp).pt(name)).toBe(payload.pt);
    expect((await c.bridge(legA.legId, legB.legId)).modes.ab).toBe('transcode');
    await a.streamPcm(sine(1000, 8000, 1200, -12), findCodec('PCMU')!, 0);
    await waitFor(() => b.received.length >= 45);
    const codec = findCodec(name)!;
    const pcm = b.decode(codec, payload.pt);
    const rate = codec.info.sampleRate;
    const mid = pcm.subarray(Math.round(rate * 0.3), Math.round(rate * 0.8));
    const level = toneLevel(mid, rate, 1000);
    expect(level).toBeGreaterThan(-15);
    expect(level).toBeLessThan(-9);
    expect(toneLevel(mid, rate, 2500)).toBeLessThan(level - 30);
    await c.destroyCall(`t-${name}`);
  });

  it('resamples an 8 kHz prompt for a wideband (G.722) leg', async () => {
    const c = h.media.client;
    const file = path.join(h.dir, 'tone8k.wav');
    writeFileSync(file, encodeWav(8000, sine(1000, 8000, 1000, -10)));
    const b = await h.peer();
    const leg = await c.createLeg({ callId: 'wb', offer: b.sdp([far[2]![1]]) });
    b.useRemote(leg.sdp);
    const done = c.playDone.next((e) => e.legId === leg.legId);
    await c.play({ legId: leg.legId, items: [{ file }] });
    await done;
    await waitFor(() => b.received.length >= 50);
    const g722 = findCodec('G722')!;
    const pcm = b.decode(g722, 9);
    expect(pcm.length).toBe(16000);
    expect(Math.abs(toneLevel(pcm.subarray(1600, 14400), 16000, 1000) - -10)).toBeLessThan(1.5);
    await c.destroyLeg(leg.legId);
  });
});
