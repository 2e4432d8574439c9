// Phase-continuous multi-frequency tone with an on/off cadence, generated frame by frame so a
// 4-minute ringback costs no memory and frames join without clicks.

export interface ToneSpec {
  freqs: readonly number[];
  /** Level of each component in dBFS. */
  levelDbfs: number;
  /** Alternating on/off durations in ms, repeated; empty means continuous. */
  cadence: readonly number[];
  /** Stop after this long (ms); undefined plays until stopped. */
  durationMs?: number;
}

export class ToneGenerator {
  private sampleIndex = 0;
  private readonly phase: number[];
  private readonly step: number[];
  private readonly amplitude: number;
  private readonly cadence: number[];
  private readonly cycle: number;
  private readonly total: number;

  constructor(
    spec: ToneSpec,
    readonly rate: number,
  ) {
    this.phase = spec.freqs.map(() => 0);
    this.step = spec.freqs.map((f) => (2 * Math.PI * f) / rate);
    this.amplitude = 32767 * 10 ** (spec.levelDbfs / 20);
    this.cadence = spec.cadence.map((ms) => Math.round((ms * rate) / 1000));
    this.cycle = this.cadence.reduce((a, b) => a + b, 0);
    this.total = spec.durationMs === undefined ? Infinity : Math.round((spec.durationMs * rate) / 1000);
  }

  get done(): boolean {
    return this.sampleIndex >= this.total;
  }

  private isOn(index: number): boolean {
    if (this.cycle === 0) return true;
    let pos = index % this.cycle;
    for (let i = 0; i < this.cadence.length; i++) {
      const len = this.cadence[i]!;
      if (pos < len) return i % 2 === 0;
      pos -= len;
    }
    return false;
  }

  /** Fill `out`; returns the samples that belong to the tone (the rest is zero once done). */
  fill(out: Int16Array): number {
    let n = 0;
    for (let i = 0; i < out.length; i++, this.sampleIndex++) {
      if (this.sampleIndex >= this.total) {
        out[i] = 0;
        continue;
      }
      n++;
      let v = 0;
      for (let k = 0; k < this.phase.length; k++) {
        v += Math.sin(this.phase[k]!);
        this.phase[k] = (this.phase[k]! + this.step[k]!) % (2 * Math.PI);
      }
      out[i] = this.isOn(this.sampleIndex) ? Math.round(v * this.amplitude) : 0;
    }
    return n;
  }
}
