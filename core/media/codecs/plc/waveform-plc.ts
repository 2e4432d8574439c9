// Packet loss concealment by pitch-period repetition with fade-out, in the spirit of G.711 Appendix I, for
// any sample rate (spandsp's plc_* assumes 8 kHz, and G.722 runs at 16 kHz). Used by the G.711, L16, G.722
// and GSM decoders; Opus and G.729 conceal inside their own decoders.
//
// The decoder feeds every good frame through observe() and asks conceal() for each lost stretch. While
// concealing we repeat the last pitch period (found by normalised autocorrelation) so voiced speech keeps its
// pitch instead of going silent; after 10 ms the gain ramps down to silence at 60 ms so a long gap does not
// turn into a buzz. On the first good frame after a loss we cross-fade from the synthetic signal into the
// real one to avoid a click.

const HISTORY_MS = 40;
const MIN_PITCH_MS = 2.5; // 400 Hz
const MAX_PITCH_MS = 15; // ~67 Hz
const CORR_WINDOW_MS = 10;
const FULL_GAIN_MS = 10;
const SILENT_AFTER_MS = 60;
const RECOVER_FADE_MS = 4;

export class WaveformPlc {
  private readonly history: Int16Array;
  private readonly minPitch: number;
  private readonly maxPitch: number;
  private readonly window: number;
  private readonly fullGainSamples: number;
  private readonly silentAfterSamples: number;
  private readonly recoverSamples: number;
  /** Consecutive samples concealed so far; 0 while packets arrive. */
  private lost = 0;
  private pitch = 0;

  constructor(readonly sampleRate: number) {
    const ms = (v: number): number => Math.max(1, Math.round((sampleRate * v) / 1000));
    this.history = new Int16Array(ms(HISTORY_MS));
    this.minPitch = ms(MIN_PITCH_MS);
    this.maxPitch = ms(MAX_PITCH_MS);
    this.window = ms(CORR_WINDOW_MS);
    this.fullGainSamples = ms(FULL_GAIN_MS);
    this.silentAfterSamples = ms(SILENT_AFTER_MS);
    this.recoverSamples = ms(RECOVER_FADE_MS);
  }

  /** Record a correctly decoded frame. After a loss this cross-fades the frame's start in place. */
  observe(pcm: Int16Array, length: number = pcm.length): void {
    if (this.lost > 0) {
      const n = Math.min(this.recoverSamples, length);
      for (let i = 0; i < n; i++) {
        const w = (i + 1) / (n + 1);
        pcm[i] = Math.round(w * (pcm[i] ?? 0) + (1 - w) * this.synth(this.lost + i));
      }
      this.lost = 0;
    }
    this.remember(pcm, length);
  }

  /** Fill out with concealment for the next out.length missing samples. */
  conceal(out: Int16Array): Int16Array {
    if (this.lost === 0) this.pitch = this.findPitch();
    for (let i = 0; i < out.length; i++) out[i] = this.synth(this.lost + i);
    this.lost += out.length;
    return out;
  }

  reset(): void {
    this.history.fill(0);
    this.lost = 0;
  }

  /** Sample k of the loss: the last pitch period repeated, times the fade-out gain. */
  private synth(k: number): number {
    if (k >= this.silentAfterSamples) return 0;
    const h = this.history;
    const v = h[h.length - this.pitch + (k % this.pitch)] ?? 0;
    const fade = this.silentAfterSamples - this.fullGainSamples;
    const gain = k < this.fullGainSamples ? 1 : 1 - (k - this.fullGainSamples) / fade;
    return Math.round(v * gain);
  }

  private remember(pcm: Int16Array, length: number): void {
    const h = this.history;
    if (length >= h.length) {
      h.set(pcm.subarray(length - h.length, length));
    } else {
      h.copyWithin(0, length);
      // subarray() allocates a view; skip it in the usual whole-frame case (this runs on every frame).
      h.set(length === pcm.length ? pcm : pcm.subarray(0, length), h.length - length);
    }
  }

  /** Lag with the highest normalised autocorrelation between the newest window and the one before it. */
  private findPitch(): number {
    const h = this.history;
    const end = h.length;
    const start = end - this.window;
    let best = this.maxPitch;
    let bestScore = -Infinity;
    for (let lag = this.minPitch; lag <= this.maxPitch && start - lag >= 0; lag++) {
      let cross = 0;
      let energy = 0;
      for (let i = start; i < end; i++) {
        const past = h[i - lag] ?? 0;
        cross += (h[i] ?? 0) * past;
        energy += past * past;
      }
      const score = energy > 0 ? cross / Math.sqrt(energy) : 0;
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    return best;
  }
}
