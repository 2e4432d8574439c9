// Three parties with three tones: each must hear the other two and not itself.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload, RtpPeer } from '../testing/rtp-peer.ts';

const parties: [PeerPayload, number][] = [
  [{ pt: 0, name: 'PCMU', rate: 8000 }, 400],
  [{ pt: 8, name: 'PCMA', rate: 8000 }, 700],
  [{ pt: 9, name: 'G722', rate: 8000 }, 1100],
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness([31800, 31999]);
});
afterAll(async () => {
  await h?.close();
});

describe('conference', () => {
  it('mixes three parties, each with its own codec, minus themselves', async () => {
    const c = h.media.client;
    const joined: { peer: RtpPeer; leg: { legId: string }; payload: PeerPayload }[] = [];
    for (const [payload] of parties) {
      const peer = await h.peer();
      const leg = await c.createLeg({ callId: `conf-${payload.name}`, offer: peer.sdp([payload]) });
      peer.useRemote(leg.sdp);
      await c.joinConference({ confId: 'room-1', legId: leg.legId, tones: false });
      joined.push({ peer, leg, payload });
    }
    expect((await c.status()).conferences).toBe(1);
    await Promise.all(
      joined.map(({ peer, payload }, i) => {
        const codec = findCodec(payload.name)!;
        return peer.streamPcm(sine(parties[i]![1], codec.info.sampleRate, 1500, -15), codec, payload.pt);
      }),
    );
    await waitFor(() => joined.every(({ peer }) => peer.received.length >= 60));
    joined.forEach(({ peer, payload }, i) => {
      const codec = findCodec(payload.name)!;
      const rate = codec.info.sampleRate;
      const pcm = peer.decode(codec, payload.pt);
      const mid = pcm.subarray(Math.round(rate * 0.4), Math.round(rate * 1.2));
      parties.forEach(([, freq], j) => {
        const level = toneLevel(mid, rate, freq);
        if (i === j) expect(level, `party ${i} hears itself at ${freq} Hz`).toBeLessThan(-45);
        else expect(level, `party ${i} hears ${freq} Hz`).toBeGreaterThan(-20);
      });
    });
    for (const { leg } of joined) await c.leaveConference(leg.legId);
    expect((await c.status()).conferences).toBe(0);
    for (const { leg } of joined) await c.destroyLeg(leg.legId);
  });
});
