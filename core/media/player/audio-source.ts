// Things a player can play, each producing PCM at its own rate a frame at a time.

import { ToneGenerator } from '../tones/tone-generator.ts';
import { toneSpec, type ToneName } from '../tones/tone-plan.ts';
import type { WavAudio } from './wav.ts';

export interface AudioSource {
  readonly rate: number;
  /** Fill `out`; returns how many samples were real audio (less than out.length at the end). */
  read(out: Int16Array): number;
}

export class BufferSource implements AudioSource {
  private pos = 0;
  readonly rate: number;

  constructor(private readonly audio: WavAudio) {
    this.rate = audio.rate;
  }

  read(out: Int16Array): number {
    const n = Math.min(out.length, this.audio.samples.length - this.pos);
    out.set(this.audio.samples.subarray(this.pos, this.pos + n));
    out.fill(0, n);
    this.pos += n;
    return n;
  }
}

export class ToneSource implements AudioSource {
  private readonly gen: ToneGenerator;

  constructor(
    name: ToneName,
    durationMs: number | undefined,
    readonly rate: number,
  ) {
    this.gen = new ToneGenerator(toneSpec(name, durationMs), rate);
  }

  read(out: Int16Array): number {
    return this.gen.fill(out);
  }
}

export class SilenceSource implements AudioSource {
  private left: number;

  constructor(
    ms: number,
    readonly rate: number,
  ) {
    this.left = Math.round((ms * rate) / 1000);
  }

  read(out: Int16Array): number {
    const n = Math.min(out.length, this.left);
    out.fill(0);
    this.left -= n;
    return n;
  }
}
