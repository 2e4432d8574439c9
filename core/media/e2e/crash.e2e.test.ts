// SIGKILL of the media process mid-call: the client library reports it (exit event and
// disconnected with the lost legs), pending requests fail, and a recording in progress remains a
// valid WAV holding the audio up to its last one-second flush.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sine } from '../codecs/dsp/tone.ts';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { findCodec } from '../codec-lookup.ts';
import { parseWav } from '../player/wav.ts';
import { startHarness, waitFor, type Harness } from '../testing/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness([32000, 32199]);
});
afterAll(async () => {
  await h?.close();
});

describe('media process crash', () => {
  it('reports SIGKILL mid-call to the client and keeps the recording readable', async () => {
    const c = h.media.client;
    const a = await h.peer();
    const b = await h.peer();
    const legA = await c.createLeg({ callId: 'k1', offer: a.sdp([{ pt: 0, name: 'PCMU', rate: 8000 }]) });
    const legB = await c.createLeg({ callId: 'k1', offer: b.sdp([{ pt: 0, name: 'PCMU', rate: 8000 }]) });
    a.useRemote(legA.sdp);
    b.useRemote(legB.sdp);
    await c.bridge(legA.legId, legB.legId);
    const file = path.join(h.dir, 'crash.wav');
    await c.record({ legId: legA.legId, path: file });
    await a.streamPcm(sine(900, 8000, 2500, -12), findCodec('PCMU')!, 0);

    const disconnected = c.disconnected.next();
    const exited = h.media.exited.next();
    process.kill(h.media.pid, 'SIGKILL');
    const [[lost], [exit]] = await Promise.all([disconnected, exited]);
    expect(exit.signal).toBe('SIGKILL');
    expect(lost.lostLegs.sort()).toEqual([legA.legId, legB.legId].sort());
    await expect(c.ping()).rejects.toMatchObject({ status: 503 });
    await waitFor(() => h.media.hasExited);

    const wav = parseWav(readFileSync(file));
    expect(wav.samples.length).toBeGreaterThanOrEqual(8000); // at least the first flushed second
    expect(toneLevel(wav.samples.subarray(2000, 8000), 8000, 900)).toBeGreaterThan(-15);
  });
});
