// The shared test suite every codec runs (called from each codec's own test file), so each implementation
// is held to the same Encoder/Decoder contract the media server relies on.
import { describe, expect, it } from 'vitest';
import { frameSamples, type CodecFactory } from './codec.ts';
import { rmsLevel, toneLevel } from './dsp/goertzel.ts';
import { sine } from './dsp/tone.ts';
import { measureTone, roundTrip } from './test-support.ts';

export interface ContractOptions {
  /** Allowed level error of a round-tripped tone, dB. */
  toleranceDb: number;
  /** Test tones in Hz; default 1 kHz (plus 6 kHz for wideband codecs, to exercise the upper band). */
  tones?: number[];
  /** Encoded bytes per default frame, when the codec is constant-rate. */
  frameBytes?: number;
}

export function codecContract(factory: CodecFactory, options: ContractOptions): void {
  const { info } = factory;
  const rate = info.sampleRate;
  const frame = frameSamples(info);
  const tones = options.tones ?? (rate >= 16000 ? [1000, 6000] : [1000]);

  describe(`${info.name}/${info.clockRate} @ ${rate} Hz contract`, () => {
    it('has consistent metadata', () => {
      expect(info.channels).toBe(1);
      expect(Number.isInteger(frame)).toBe(true);
      expect(info.clockRate).toBeGreaterThan(0);
      expect(info.priority).toBeGreaterThan(0);
    });

    it('encodes one frame and decodes it back to one frame', () => {
      const enc = factory.createEncoder();
      const dec = factory.createDecoder();
      const payload = enc.encode(sine(1000, rate, info.frameMs, -20));
      if (options.frameBytes !== undefined) expect(payload.length).toBe(options.frameBytes);
      expect(payload.length).toBeGreaterThan(0);
      expect(dec.decode(payload).length).toBe(frame);
      enc.close?.();
      dec.close?.();
    });

    for (const freq of tones) {
      for (const db of [-10, -30]) {
        it(`keeps a ${freq} Hz tone at ${db} dBFS within ±${options.toleranceDb} dB`, () => {
          const out = roundTrip(factory, sine(freq, rate, 400, db));
          const m = measureTone(out, rate, freq, 100);
          expect(Math.abs(m.level - db)).toBeLessThanOrEqual(options.toleranceDb);
          // Still a clean tone: nearly all of the output's energy is at the test frequency.
          expect(m.total - m.level).toBeLessThan(1);
        });
      }
    }

    it('conceals a lost frame with the right length, continuing the signal then fading', () => {
      const enc = factory.createEncoder();
      const dec = factory.createDecoder();
      const tone = sine(1000, rate, 200, -10);
      for (let f = 0; f + frame <= tone.length; f += frame) dec.decode(enc.encode(tone.subarray(f, f + frame)));
      const first = dec.conceal(frame);
      expect(first.length).toBe(frame);
      expect(toneLevel(first, rate, 1000)).toBeGreaterThan(-20);
      let last = first;
      for (let i = 0; i < 10; i++) last = dec.conceal(frame);
      expect(rmsLevel(last)).toBeLessThan(-30);
      enc.close?.();
      dec.close?.();
    });

    it('does not throw on a malformed payload', () => {
      const dec = factory.createDecoder();
      expect(() => dec.decode(Buffer.from([0xff, 0x00, 0x13]))).not.toThrow();
      dec.close?.();
    });

    it('encodeInto/decodeInto match encode/decode', () => {
      const input = sine(1000, rate, info.frameMs, -12);
      const a = factory.createEncoder();
      const b = factory.createEncoder();
      const expected = a.encode(input);
      // Room for a maximal packet: Opus treats the space it is given as a size cap and would encode smaller.
      const out = Buffer.alloc(1500 + 7, 0xaa);
      expect(b.encodeInto?.(input, out, 7)).toBe(expected.length);
      expect(out.subarray(7, 7 + expected.length).equals(expected)).toBe(true);
      expect(out[6]).toBe(0xaa);

      const d1 = factory.createDecoder();
      const d2 = factory.createDecoder();
      const pcm = d1.decode(expected);
      const into = new Int16Array(frame * 6);
      expect(d2.decodeInto?.(expected, into)).toBe(pcm.length);
      expect(into.subarray(0, pcm.length)).toEqual(pcm);
      for (const c of [a, b, d1, d2]) c.close?.();
    });

    it('keeps independent state per instance (many legs at once)', () => {
      const legs = Array.from({ length: 50 }, () => ({ enc: factory.createEncoder(), dec: factory.createDecoder() }));
      const input = sine(1000, rate, info.frameMs, -15);
      const outputs = legs.map(({ enc, dec }) => dec.decode(enc.encode(input)));
      for (const o of outputs) expect(o).toEqual(outputs[0]);
      for (const { enc, dec } of legs) {
        enc.reset?.();
        dec.reset?.();
        enc.close?.();
        dec.close?.();
      }
    });
  });
}
