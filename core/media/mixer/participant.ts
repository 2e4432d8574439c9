// One conference party: its latest input frame at the mixer rate, whether it counts as talking,
// and its mute state.

import { createResampler, type Resampler } from '../codec-lookup.ts';
import { rmsLevel } from '../codecs/dsp/goertzel.ts';
import type { MixerPort } from './mixer-port.ts';

/** Frames a party stays "talking" after its level drops, so word endings are not cut off. */
const HANGOVER_TICKS = 10;

export class Participant {
  readonly input: Int16Array;
  fresh = false;
  talking = false;
  muted: boolean;
  private hangover = 0;
  private resampler: Resampler | undefined;
  private readonly untap: () => void;

  constructor(
    readonly port: MixerPort,
    readonly mixRate: number,
    frameSamples: number,
    muted: boolean,
  ) {
    this.input = new Int16Array(frameSamples);
    this.muted = muted;
    // A party below the talk threshold is not mixed in, so its leg may skip decoding it.
    this.untap = port.addTap((pcm, rate) => this.onFrame(pcm, rate), true);
  }

  private onFrame(pcm: Int16Array | null, rate: number): void {
    if (!pcm) return;
    let frame = pcm;
    if (rate !== this.mixRate) {
      if (!this.resampler || this.resampler.fromRate !== rate) {
        this.resampler?.close();
        this.resampler = createResampler(rate, this.mixRate);
      }
      frame = this.resampler.process(pcm);
    }
    const n = Math.min(frame.length, this.input.length);
    this.input.set(frame.subarray(0, n));
    this.input.fill(0, n);
    this.fresh = true;
  }

  /** Decide, once per tick, whether this party's audio goes into the mix. */
  classify(thresholdDbfs: number): boolean {
    if (!this.fresh || this.muted) {
      this.talking = false;
      this.hangover = 0;
      return false;
    }
    if (rmsLevel(this.input) >= thresholdDbfs) this.hangover = HANGOVER_TICKS;
    else if (this.hangover > 0) this.hangover--;
    this.talking = this.hangover > 0;
    return this.talking;
  }

  close(): void {
    this.untap();
    this.resampler?.close();
  }
}
