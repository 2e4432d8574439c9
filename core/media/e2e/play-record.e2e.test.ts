// Player and recorder end to end. Tolerances: prompt length exact to the 20 ms frame; level of a
// µ-law round trip within 1 dB of the source file.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmsLevel, toneLevel } from '../codecs/dsp/goertzel.ts';
import { concat, silence, sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import type { EventMap } from '../control/protocol.ts';
import { encodeWav, parseWav } from '../player/wav.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';
import type { PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };
const TE: PeerPayload = { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' };
const PROMPT = '/usr/share/asterisk/sounds/en/demo-congrats.wav';

let h: Harness;
beforeAll(async () => {
  h = await startHarness([31400, 31599]);
});
afterAll(async () => {
  await h?.close();
});

function nextPlayDone(legId: string): Promise<EventMap['playDone']> {
  return h.media.client.playDone.next((e) => e.legId === legId).then(([e]) => e);
}

async function newLeg(callId: string, payloads = [PCMU, TE]) {
  const peer = await h.peer();
  const leg = await h.media.client.createLeg({ callId, offer: peer.sdp(payloads) });
  peer.useRemote(leg.sdp);
  return { peer, leg };
}

describe('player', () => {
  it('plays a WAV prompt intact: every frame, at the file level', async () => {
    const file = path.join(h.dir, 'tone.wav');
    writeFileSync(file, encodeWav(8000, sine(1000, 8000, 1000, -10)));
    const { peer, leg } = await newLeg('p1');
    const done = nextPlayDone(leg.legId);
    await h.media.client.play({ legId: leg.legId, items: [{ file }] });
    const end = await done;
    expect(end).toMatchObject({ reason: 'finished', playedMs: 1000 });
    await waitFor(() => peer.received.length >= 50);
    expect(peer.received.length).toBe(50);
    const got = peer.decode(findCodec('PCMU')!, 0);
    expect(got.length).toBe(8000);
    expect(Math.abs(toneLevel(got, 8000, 1000) - -10)).toBeLessThan(1);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('plays an Asterisk prompt by name with its length and level', async () => {
    const src = parseWav(readFileSync('/usr/share/asterisk/sounds/en/auth-thankyou.wav'));
    const { peer, leg } = await newLeg('p2');
    const done = nextPlayDone(leg.legId);
    await h.media.client.play({ legId: leg.legId, items: [{ file: 'auth-thankyou' }] });
    expect((await done).reason).toBe('finished');
    const frames = Math.ceil(src.samples.length / 160);
    await waitFor(() => peer.received.length >= frames, 5000);
    expect(peer.received.length).toBe(frames);
    const got = peer.decode(findCodec('PCMU')!, 0);
    expect(Math.abs(rmsLevel(got) - rmsLevel(src.samples))).toBeLessThan(1);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('stops on a DTMF digit when barge-in is on, and a missing prompt is a 404', async () => {
    const { peer, leg } = await newLeg('p3');
    await expect(h.media.client.play({ legId: leg.legId, items: [{ file: 'no-such-prompt' }] })).rejects.toMatchObject({ status: 404 });
    const done = nextPlayDone(leg.legId);
    await h.media.client.play({ legId: leg.legId, items: [{ file: PROMPT }], bargeIn: true });
    await peer.streamDigits('3', 101, 60, 20);
    const end = await done;
    expect(end.reason).toBe('bargeIn');
    expect(end.digit).toBe('3');
    expect(end.playedMs).toBeLessThan(2000);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('loops music on hold until stopped, and generates ringback', async () => {
    const { peer, leg } = await newLeg('p4');
    const done = nextPlayDone(leg.legId);
    await h.media.client.play({ legId: leg.legId, items: [{ tone: 'ringback', durationMs: 300 }], loop: true });
    await waitFor(() => peer.received.length >= 40);
    await h.media.client.stopPlay(leg.legId);
    expect((await done).reason).toBe('stopped');
    const got = peer.decode(findCodec('PCMU')!, 0).subarray(0, 2400);
    expect(toneLevel(got, 8000, 440)).toBeGreaterThan(-25);
    expect(toneLevel(got, 8000, 480)).toBeGreaterThan(-25);
    await h.media.client.destroyLeg(leg.legId);
  });
});

describe('recorder', () => {
  it('records what the peer sends: expected length and tone', async () => {
    const { peer, leg } = await newLeg('r1');
    const file = path.join(h.dir, 'rec1.wav');
    const done = h.media.client.recordDone.next((e) => e.legId === leg.legId);
    await h.media.client.record({ legId: leg.legId, path: file, maxMs: 1000 });
    await peer.streamPcm(sine(700, 8000, 1600, -12), findCodec('PCMU')!, 0);
    const [end] = await done;
    expect(end).toMatchObject({ path: file, durationMs: 1000, reason: 'maxDuration' });
    const wav = parseWav(readFileSync(file));
    expect(wav.rate).toBe(8000);
    expect(wav.samples.length).toBe(8000);
    // The jitter buffer delays the start by its depth; the rest is the peer's tone.
    expect(Math.abs(toneLevel(wav.samples.subarray(1600), 8000, 700) - -12)).toBeLessThan(1.5);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('stops on silence and trims it off, after a beep to the caller', async () => {
    const { peer, leg } = await newLeg('r2');
    const file = path.join(h.dir, 'rec2.wav');
    const done = h.media.client.recordDone.next((e) => e.legId === leg.legId);
    await h.media.client.record({ legId: leg.legId, path: file, silenceMs: 400, beep: true, maxMs: 5000 });
    await peer.streamPcm(concat(silence(8000, 300), sine(500, 8000, 600, -12), silence(8000, 1000)), findCodec('PCMU')!, 0);
    const [end] = await done;
    expect(end.reason).toBe('silence');
    const got = peer.decode(findCodec('PCMU')!, 0);
    expect(toneLevel(got, 8000, 1000)).toBeGreaterThan(-25); // the beep reached the caller
    const wav = parseWav(readFileSync(file));
    expect(wav.samples.length / 8).toBe(end.durationMs);
    expect(toneLevel(wav.samples, 8000, 500)).toBeGreaterThan(-20);
    // Trailing silence trimmed: the file ends within one frame of the tone's end.
    expect(rmsLevel(wav.samples.subarray(wav.samples.length - 160))).toBeGreaterThan(-30);
    await h.media.client.destroyLeg(leg.legId);
  });

  it('records a bridge: both directions mixed into one file', async () => {
    const c = h.media.client;
    const { peer: a, leg: legA } = await newLeg('r3', [PCMU]);
    const { peer: b, leg: legB } = await newLeg('r3', [PCMU]);
    const br = await c.bridge(legA.legId, legB.legId);
    const file = path.join(h.dir, 'rec3.wav');
    const done = c.recordDone.next((e) => e.bridgeId === br.bridgeId);
    await c.record({ bridgeId: br.bridgeId, path: file, maxMs: 800 });
    await Promise.all([a.streamPcm(sine(450, 8000, 1200, -15), findCodec('PCMU')!, 0), b.streamPcm(sine(1300, 8000, 1200, -15), findCodec('PCMU')!, 0)]);
    const [end] = await done;
    expect(end).toMatchObject({ reason: 'maxDuration', durationMs: 800 });
    const wav = parseWav(readFileSync(file));
    const body = wav.samples.subarray(1600);
    expect(toneLevel(body, 8000, 450)).toBeGreaterThan(-18);
    expect(toneLevel(body, 8000, 1300)).toBeGreaterThan(-18);
    await c.destroyCall('r3');
  });
});
