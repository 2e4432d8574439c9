// Helpers for codec tests (and the benchmark): push a signal through an encoder/decoder pair frame by frame,
// the way a leg would, and measure what comes out.
import { frameSamples, type CodecFactory } from './codec.ts';
import { rmsLevel, toneLevel } from './dsp/goertzel.ts';

/** Encodes `signal` in whole frames of the codec's ptime, decodes each payload, and returns the decoded
 *  stream (trailing samples that do not fill a frame are dropped). */
export function roundTrip(factory: CodecFactory, signal: Int16Array): Int16Array {
  const enc = factory.createEncoder();
  const dec = factory.createDecoder();
  const frame = frameSamples(factory.info);
  const frames = Math.floor(signal.length / frame);
  const parts: Int16Array[] = [];
  for (let f = 0; f < frames; f++) {
    parts.push(dec.decode(enc.encode(signal.subarray(f * frame, (f + 1) * frame))));
  }
  enc.close?.();
  dec.close?.();
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface ToneMeasure {
  /** Level of the tone at the test frequency, dBFS. */
  level: number;
  /** Overall level, dBFS; close to `level` when the codec kept the signal a clean tone. */
  total: number;
}

/** Measure a tone over pcm after skipping `skipMs` (codec start-up and filter delay). */
export function measureTone(pcm: Int16Array, rate: number, freq: number, skipMs = 40): ToneMeasure {
  const tail = pcm.subarray(Math.round((rate * skipMs) / 1000));
  return { level: toneLevel(tail, rate, freq), total: rmsLevel(tail) };
}
