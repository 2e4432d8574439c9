// DTMF tone generator for in-band sending (a leg with no telephone-event) and for tests. Streaming: the
// leg calls fill() once per outgoing frame, so tones span frame boundaries without phase jumps.
import { dtmfFrequencies } from './keypad.ts';

export interface DtmfToneOptions {
  sampleRate?: number;
  /** Tone length; Q.24 receivers must accept 40 ms, most systems send 70–100 ms. */
  toneMs?: number;
  /** Pause after each tone. */
  gapMs?: number;
  /** Level of each of the two tones, dBFS (full-scale sine = 0). */
  levelDbfs?: number;
  /** High-group tone level relative to the low-group tone, dB (positive = "reverse twist"). */
  twistDb?: number;
}

/** Raised-cosine edge so a tone starts and stops without a click or spectral splatter. */
const RAMP_MS = 2;

interface Segment {
  freqs: readonly [number, number] | undefined; // undefined = gap
  samples: number;
}

export class DtmfGenerator {
  private readonly rate: number;
  private readonly toneSamples: number;
  private readonly gapSamples: number;
  private readonly lowAmp: number;
  private readonly highAmp: number;
  private readonly ramp: number;
  private readonly queue: Segment[] = [];
  private pos = 0;

  constructor(options: DtmfToneOptions = {}) {
    this.rate = options.sampleRate ?? 8000;
    this.toneSamples = Math.round((this.rate * (options.toneMs ?? 80)) / 1000);
    this.gapSamples = Math.round((this.rate * (options.gapMs ?? 80)) / 1000);
    this.lowAmp = 32768 * 10 ** ((options.levelDbfs ?? -10) / 20);
    this.highAmp = this.lowAmp * 10 ** ((options.twistDb ?? 0) / 20);
    this.ramp = Math.max(1, Math.round((this.rate * RAMP_MS) / 1000));
  }

  /** Queue digits. The whole string is checked first: a typo rejects it rather than sending half of it. */
  send(digits: string): void {
    const pairs = [...digits].map((d) => {
      const freqs = dtmfFrequencies(d);
      if (!freqs) throw new RangeError(`not a DTMF digit: ${JSON.stringify(d)}`);
      return freqs;
    });
    for (const freqs of pairs) {
      this.queue.push({ freqs, samples: this.toneSamples });
      if (this.gapSamples > 0) this.queue.push({ freqs: undefined, samples: this.gapSamples });
    }
  }

  get busy(): boolean {
    return this.queue.length > 0;
  }

  /** Overwrite out with the next samples (silence once idle); returns true while digits remain. */
  fill(out: Int16Array): boolean {
    let i = 0;
    while (i < out.length) {
      const seg = this.queue[0];
      if (!seg) {
        out.fill(0, i);
        break;
      }
      const n = Math.min(out.length - i, seg.samples - this.pos);
      if (seg.freqs) this.tone(seg, out, i, n);
      else out.fill(0, i, i + n);
      i += n;
      this.pos += n;
      if (this.pos >= seg.samples) {
        this.queue.shift();
        this.pos = 0;
      }
    }
    return this.busy;
  }

  cancel(): void {
    this.queue.length = 0;
    this.pos = 0;
  }

  private tone(seg: Segment, out: Int16Array, at: number, n: number): void {
    const [low, high] = seg.freqs!;
    const wl = (2 * Math.PI * low) / this.rate;
    const wh = (2 * Math.PI * high) / this.rate;
    for (let k = 0; k < n; k++) {
      const t = this.pos + k; // phase is a function of the position in the tone: continuous across fills
      const edge = Math.min(t, seg.samples - 1 - t);
      const gain = edge >= this.ramp ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / this.ramp);
      const v = gain * (this.lowAmp * Math.sin(wl * t) + this.highAmp * Math.sin(wh * t));
      out[at + k] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
    }
  }
}

/** A whole digit string as one buffer (tests, prompts). */
export function dtmfSequence(digits: string, options: DtmfToneOptions = {}): Int16Array {
  const rate = options.sampleRate ?? 8000;
  const perDigit = Math.round((rate * (options.toneMs ?? 80)) / 1000) + Math.round((rate * (options.gapMs ?? 80)) / 1000);
  const gen = new DtmfGenerator(options);
  gen.send(digits);
  const out = new Int16Array(perDigit * digits.length);
  gen.fill(out);
  return out;
}
