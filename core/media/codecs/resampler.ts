// Streaming sample-rate conversion for legs whose codec rate differs from the mixer's, over speexdsp in our
// addon. One resampler per direction per leg: it keeps filter history between frames, so feeding 20 ms at a
// time gives the same output as converting the whole stream at once (no clicks at frame boundaries).
import { loadNative, type NativeResampler } from '../native/index.ts';

/** speexdsp quality 0..10. 4 is speex's own default; 3 ("VoIP") is a little cheaper and is what we
 *  measured in shared/research/media.md. */
export const DEFAULT_RESAMPLER_QUALITY = 4;

export interface Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Converts one chunk; returns a new array the caller owns — except in passthrough (equal rates), where
   *  `input` itself is returned. */
  process(input: Int16Array): Int16Array;
  /** Zero-allocation variant; out must hold maxOutput(input.length). Returns samples written. */
  processInto(input: Int16Array, out: Int16Array): number;
  /** Upper bound on the output for `inputSamples` of input. */
  maxOutput(inputSamples: number): number;
  /** Filter delay in output samples (constant; what a test must skip before comparing signals). */
  readonly delay: number;
  reset(): void;
  close(): void;
}

class Passthrough implements Resampler {
  readonly delay = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {}

  process(input: Int16Array): Int16Array {
    return input;
  }

  processInto(input: Int16Array, out: Int16Array): number {
    out.set(input);
    return input.length;
  }

  maxOutput(inputSamples: number): number {
    return inputSamples;
  }

  reset(): void {}

  close(): void {}
}

class SpeexResampler implements Resampler {
  private readonly native: NativeResampler;
  private scratch = new Int16Array(0);
  readonly delay: number;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    quality: number,
  ) {
    this.native = new (loadNative().Resampler)(1, fromRate, toRate, quality);
    this.delay = this.native.outputLatency();
  }

  maxOutput(inputSamples: number): number {
    // +2: speex may emit one sample more than the exact ratio on a call, depending on filter phase.
    return Math.ceil((inputSamples * this.toRate) / this.fromRate) + 2;
  }

  process(input: Int16Array): Int16Array {
    const need = this.maxOutput(input.length);
    if (this.scratch.length < need) this.scratch = new Int16Array(need);
    const n = this.native.process(input, this.scratch);
    return this.scratch.slice(0, n);
  }

  processInto(input: Int16Array, out: Int16Array): number {
    return this.native.process(input, out);
  }

  reset(): void {
    this.native.reset();
  }

  close(): void {
    this.native.close();
  }
}

/** Mono 16-bit resampler from fromRate to toRate; equal rates give a no-op that needs no addon. */
export function createResampler(fromRate: number, toRate: number, quality = DEFAULT_RESAMPLER_QUALITY): Resampler {
  if (fromRate === toRate) return new Passthrough(fromRate, toRate);
  return new SpeexResampler(fromRate, toRate, quality);
}
