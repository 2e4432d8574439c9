import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { frameSamples, rtpTicks } from '../codec.ts';
import { measureTone, roundTrip } from '../test-support.ts';
import { sine } from '../dsp/tone.ts';
import { g722 } from './index.ts';

describe('G.722', () => {
  it('has PT 9 and the RTP clock quirk: 8000 on the wire, 16 kHz audio (RFC 3551 4.5.2)', () => {
    expect(g722.info).toMatchObject({ name: 'G722', payloadType: 9, clockRate: 8000, sampleRate: 16000 });
    expect(frameSamples(g722.info)).toBe(320);
    expect(rtpTicks(g722.info)).toBe(160);
  });

  it('carries the 4–8 kHz sub-band (wideband, not just resampled narrowband)', () => {
    const out = roundTrip(g722, sine(7000, 16000, 400, -12));
    expect(Math.abs(measureTone(out, 16000, 7000, 100).level + 12)).toBeLessThan(3);
  });

  it('reset() restarts the ADPCM state: same input, same bytes', () => {
    const enc = g722.createEncoder();
    const frame = sine(1000, 16000, 20, -10);
    const first = enc.encode(frame);
    enc.encode(frame);
    enc.reset?.();
    expect(enc.encode(frame).equals(first)).toBe(true);
    enc.close?.();
  });
});

codecContract(g722, { toleranceDb: 3, frameBytes: 160 });
