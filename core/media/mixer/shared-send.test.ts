// The conference's shared encoding reaches every listener who is not talking through one batched
// send (SharedSend on the native UDP layer): each listener still gets its own stream (SSRC,
// continuous sequence numbers, timestamps advancing by a frame) and the talker's audio. Real
// sockets on loopback, the server in-process; no timing is asserted.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { mediaConfig } from '../config.ts';
import { isNativeAvailable } from '../native/index.ts';
import { seqDelta, tsDelta } from '../rtp/seq.ts';
import { MediaServer } from '../server.ts';
import { waitFor } from '../testing/harness.ts';
import { RtpPeer, type PeerPayload } from '../testing/rtp-peer.ts';

const PCMU: PeerPayload = { pt: 0, name: 'PCMU', rate: 8000 };

describe.skipIf(!isNativeAvailable())('conference shared sends', () => {
  let server: MediaServer;
  const peers: RtpPeer[] = [];

  beforeEach(() => {
    server = new MediaServer(mediaConfig({ portMin: 32600, portMax: 32699, udpIo: 'native' }));
    server.start();
  });
  afterEach(async () => {
    for (const p of peers.splice(0)) p.close();
    await server.close();
  });

  it('sends the mix to the silent listeners as one batch, each with a stream of its own', async () => {
    // Count what goes through the batches (the mixer must use them, not fall back to one send each).
    let batched = 0;
    const make = server.udp.sharedSend!.bind(server.udp);
    server.udp.sharedSend = () => {
      const b = make();
      const flush = b.flush.bind(b);
      b.flush = (payload, off, len) => {
        batched += b.size;
        flush(payload, off, len);
      };
      return b;
    };
    const talker = await RtpPeer.open();
    const quiet = [await RtpPeer.open(), await RtpPeer.open(), await RtpPeer.open()];
    peers.push(talker, ...quiet);
    const legs: string[] = [];
    for (const [i, p] of [talker, ...quiet].entries()) {
      const leg = await server.request('leg.create', { callId: `s${i}`, offer: p.sdp([PCMU]) });
      p.useRemote(leg.sdp);
      await server.request('conference.join', { confId: 'room', legId: leg.legId, tones: false });
      legs.push(leg.legId);
    }
    const silence = new Int16Array(8000);
    await Promise.all([talker.streamPcm(sine(700, 8000, 1000, -12), findCodec('PCMU')!, 0), ...quiet.map((q) => q.streamPcm(silence, findCodec('PCMU')!, 0))]);
    await waitFor(() => quiet.every((q) => q.received.length >= 40));

    const status = await server.request('status', {});
    expect(status.mixers[0]!.sharedEncodes).toBeGreaterThan(0);
    const ssrcs = new Set<number>();
    for (const [k, q] of quiet.entries()) {
      const got = q.received;
      expect(new Set(got.map((r) => r.ssrc)).size).toBe(1);
      ssrcs.add(got[0]!.ssrc);
      for (let i = 1; i < got.length; i++) {
        expect(seqDelta(got[i - 1]!.seq, got[i]!.seq)).toBe(1);
        expect(tsDelta(got[i - 1]!.ts, got[i]!.ts)).toBe(160);
      }
      const pcm = q.decode(findCodec('PCMU')!, 0);
      expect(toneLevel(pcm.subarray(pcm.length - 3200), 8000, 700)).toBeGreaterThan(-20);
      const stats = await server.request('leg.stats', { legId: legs[k + 1]! });
      expect(stats.tx.packets).toBeGreaterThanOrEqual(got.length);
    }
    // Three listeners, three streams; most of their packets went out in batches.
    expect(ssrcs.size).toBe(3);
    expect(batched).toBeGreaterThanOrEqual(3 * 30);
  });
});
