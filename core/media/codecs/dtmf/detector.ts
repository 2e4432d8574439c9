// In-band DTMF detection with our own Goertzel filters (ITU-T Q.24-style checks), for legs whose peer sends
// digits as audio instead of telephone-events. (The npm Goertzel detector missed digits in our tests; see
// shared/research/media.md.)
//
// The signal is cut into blocks of 12.75 ms (102 samples at 8 kHz: the bins are ~78 Hz apart, fine enough to
// separate adjacent DTMF rows). In each block the eight tone energies are measured and a key is accepted only
// if: both tones are above a minimum level; the row/column levels differ by no more than the allowed twist;
// each winner beats the others of its group by the relative-peak margin; and the two tones carry most of the
// block's energy (this rejects speech and noise).
//
// Blocks are too coarse to time a tone: a 20 ms tone straddling two blocks lights up both. So each block
// also keeps its energy in quarters (3.2 ms), and a run of matching blocks becomes a digit only when enough
// quarters are "loud" (at least 40 % of the loudest quarter of the run) to add up to `minToneMs`. Two full
// blocks (25.5 ms) always fit inside a 40 ms tone, so 40 ms tones are always accepted, while tones under
// ~25 ms are rejected: Q.24's accept-40/reject-20 window. A digit ends after two blocks without it, so one
// bad block does not split a digit.
import { DTMF_COL_HZ, DTMF_ROW_HZ, KEYPAD } from './keypad.ts';

export interface DtmfDetectorOptions {
  sampleRate?: number;
  /** Minimum level of each tone, dBFS (full-scale sine = 0). */
  minLevelDbfs?: number;
  /** Allowed dB by which the high (column) tone may be weaker than the low one. */
  normalTwistDb?: number;
  /** Allowed dB by which the high tone may be stronger than the low one. */
  reverseTwistDb?: number;
  /** dB by which the winning row (column) must beat every other row (column). */
  relativePeakDb?: number;
  /** Share of the block's energy that the two tones must hold. */
  toneEnergyRatio?: number;
  /** Shortest tone reported (±3 ms); Q.24 wants 40 ms accepted and ~20 ms rejected. At most 25.5 ms, the
   *  longest stretch guaranteed to be seen as full blocks inside a 40 ms tone. */
  minToneMs?: number;
}

export type DtmfDetection =
  | { type: 'start'; digit: string; /** sample index in the stream since creation/reset */ sample: number }
  | { type: 'end'; digit: string; sample: number; durationMs: number };

const BLOCK_MS = 12.75;
const END_AFTER_MISSES = 2;
const QUARTERS = 4;
const LOUD_QUARTER = 0.4;
/** Timing needs only the last few blocks of a run; bounding it keeps odd input from growing memory. */
const MAX_RUN_QUARTERS = 16 * QUARTERS;
const NO_DETECTIONS: readonly DtmfDetection[] = Object.freeze([]);
const FREQS = [...DTMF_ROW_HZ, ...DTMF_COL_HZ];

const dbToPower = (db: number): number => 10 ** (db / 10);

export class DtmfDetector {
  private readonly rate: number;
  private readonly blockSize: number;
  private readonly minQuarters: number;
  private readonly quarterEnergy = new Float64Array(QUARTERS);
  /** Quarter energies of the blocks in the current candidate run, until it is accepted. */
  private runQuarters: number[] = [];
  private readonly coeff = new Float64Array(8);
  private readonly s1 = new Float64Array(8);
  private readonly s2 = new Float64Array(8);
  private readonly power = new Float64Array(8);
  private readonly minTonePower: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relativePeak: number;
  private readonly energyRatio: number;
  private filled = 0;
  /** Samples consumed before the current block. */
  private blockStart = 0;
  private candidate = -1;
  private candidateStart = 0;
  private digit = -1;
  private digitStart = 0;
  private misses = 0;
  private missStart = 0;

  constructor(options: DtmfDetectorOptions = {}) {
    this.rate = options.sampleRate ?? 8000;
    this.blockSize = Math.round((this.rate * BLOCK_MS) / 1000);
    const minToneMs = Math.min(options.minToneMs ?? 25, 2 * BLOCK_MS);
    this.minQuarters = Math.ceil((minToneMs / BLOCK_MS) * QUARTERS - 1e-9);
    FREQS.forEach((f, i) => (this.coeff[i] = 2 * Math.cos((2 * Math.PI * f) / this.rate)));
    // A sine of amplitude A over N samples has |X|² = (A·N/2)²; compare powers in that unit.
    const a = 32768 * 10 ** ((options.minLevelDbfs ?? -36) / 20);
    this.minTonePower = ((a * this.blockSize) / 2) ** 2;
    this.normalTwist = dbToPower(options.normalTwistDb ?? 8);
    this.reverseTwist = dbToPower(options.reverseTwistDb ?? 4);
    this.relativePeak = dbToPower(options.relativePeakDb ?? 6);
    this.energyRatio = options.toneEnergyRatio ?? 0.6;
  }

  /** The digit currently sounding, if any. */
  get current(): string | undefined {
    return this.digit < 0 ? undefined : keyName(this.digit);
  }

  /** Feed PCM of any length; returns the starts and ends completed by it (usually none). */
  process(pcm: Int16Array): readonly DtmfDetection[] {
    let events: DtmfDetection[] | undefined;
    for (let i = 0; i < pcm.length; ) {
      const n = Math.min(pcm.length - i, this.blockSize - this.filled);
      this.feed(pcm, i, i + n);
      i += n;
      if (this.filled === this.blockSize) {
        const ev = this.endBlock();
        if (ev) (events ??= []).push(...ev);
      }
    }
    return events ?? NO_DETECTIONS;
  }

  /** Runs the eight Goertzel filters over pcm[from, to), which lies within one block. The filter state is
   *  held in locals for the loop: typed-array loads and stores per sample cost about twice as much. */
  private feed(pcm: Int16Array, from: number, to: number): void {
    const c = this.coeff;
    const c0 = c[0]!, c1 = c[1]!, c2 = c[2]!, c3 = c[3]!, c4 = c[4]!, c5 = c[5]!, c6 = c[6]!, c7 = c[7]!;
    const p = this.s1;
    const q = this.s2;
    let a0 = p[0]!, a1 = p[1]!, a2 = p[2]!, a3 = p[3]!, a4 = p[4]!, a5 = p[5]!, a6 = p[6]!, a7 = p[7]!;
    let b0 = q[0]!, b1 = q[1]!, b2 = q[2]!, b3 = q[3]!, b4 = q[4]!, b5 = q[5]!, b6 = q[6]!, b7 = q[7]!;
    let t: number;
    for (let i = from; i < to; i++) {
      const x = pcm[i]!;
      this.quarterEnergy[((this.filled++ * QUARTERS) / this.blockSize) | 0]! += x * x;
      t = x + c0 * a0 - b0; b0 = a0; a0 = t;
      t = x + c1 * a1 - b1; b1 = a1; a1 = t;
      t = x + c2 * a2 - b2; b2 = a2; a2 = t;
      t = x + c3 * a3 - b3; b3 = a3; a3 = t;
      t = x + c4 * a4 - b4; b4 = a4; a4 = t;
      t = x + c5 * a5 - b5; b5 = a5; a5 = t;
      t = x + c6 * a6 - b6; b6 = a6; a6 = t;
      t = x + c7 * a7 - b7; b7 = a7; a7 = t;
    }
    p[0] = a0; p[1] = a1; p[2] = a2; p[3] = a3; p[4] = a4; p[5] = a5; p[6] = a6; p[7] = a7;
    q[0] = b0; q[1] = b1; q[2] = b2; q[3] = b3; q[4] = b4; q[5] = b5; q[6] = b6; q[7] = b7;
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.quarterEnergy.fill(0);
    this.filled = 0;
    this.blockStart = 0;
    this.candidate = -1;
    this.runQuarters = [];
    this.digit = -1;
    this.misses = 0;
  }

  private endBlock(): DtmfDetection[] | undefined {
    for (let k = 0; k < 8; k++) {
      const a = this.s1[k]!;
      const b = this.s2[k]!;
      this.power[k] = a * a + b * b - this.coeff[k]! * a * b;
    }
    const key = this.classify();
    const start = this.blockStart;
    const events = this.track(key, start);
    this.s1.fill(0);
    this.s2.fill(0);
    this.quarterEnergy.fill(0);
    this.filled = 0;
    this.blockStart += this.blockSize;
    return events;
  }

  /** Key index (row * 4 + col) heard in the block just finished, or -1. */
  private classify(): number {
    const p = this.power;
    const row = argmax(p, 0);
    const col = argmax(p, 4);
    const pr = p[row]!;
    const pc = p[col]!;
    if (pr < this.minTonePower || pc < this.minTonePower) return -1;
    if (pc < pr ? pr > pc * this.normalTwist : pc > pr * this.reverseTwist) return -1;
    for (let k = 0; k < 8; k++) {
      if (k === row || k === col) continue;
      if (p[k]! * this.relativePeak > (k < 4 ? pr : pc)) return -1;
    }
    // Energy of a tone within the block is 2|X|²/N.
    const q = this.quarterEnergy;
    const energy = q[0]! + q[1]! + q[2]! + q[3]!;
    if ((2 * (pr + pc)) / this.blockSize < this.energyRatio * energy) return -1;
    return row * 4 + (col - 4);
  }

  private track(key: number, start: number): DtmfDetection[] | undefined {
    let events: DtmfDetection[] | undefined;
    if (key !== this.candidate) {
      this.candidate = key;
      this.candidateStart = start;
      this.runQuarters = [];
    }
    if (key >= 0 && key !== this.digit) {
      // A key that follows another without a gap is timed while the old one is still being ended.
      this.runQuarters.push(...this.quarterEnergy);
      if (this.runQuarters.length > MAX_RUN_QUARTERS) this.runQuarters.splice(0, QUARTERS);
    }
    if (this.digit >= 0) {
      if (key === this.digit) {
        this.misses = 0;
      } else if (++this.misses === 1) {
        this.missStart = start;
      }
      if (this.misses >= END_AFTER_MISSES) {
        const durationMs = ((this.missStart - this.digitStart) * 1000) / this.rate;
        events = [{ type: 'end', digit: keyName(this.digit), sample: this.missStart, durationMs }];
        this.digit = -1;
        this.misses = 0;
      }
    }
    if (this.digit < 0 && this.candidate >= 0 && this.longEnough()) {
      this.digit = this.candidate;
      this.digitStart = this.candidateStart;
      this.misses = 0;
      this.runQuarters = [];
      (events ??= []).push({ type: 'start', digit: keyName(this.digit), sample: this.digitStart });
    }
    return events;
  }

  /** Whether the candidate run has sounded for minToneMs: two blocks at least, counted in loud quarters. */
  private longEnough(): boolean {
    const q = this.runQuarters;
    if (q.length < 2 * QUARTERS) return false;
    const loud = LOUD_QUARTER * Math.max(...q);
    let n = 0;
    for (const e of q) if (e >= loud) n++;
    return n >= this.minQuarters;
  }
}

function argmax(p: Float64Array, from: number): number {
  let best = from;
  for (let k = from + 1; k < from + 4; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

function keyName(key: number): string {
  return KEYPAD[key >> 2]![key & 3]!;
}
