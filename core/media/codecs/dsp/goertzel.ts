// Single-frequency analysis for tests and simple detectors. Levels are in dBFS with a full-scale sine
// (amplitude 32768) at 0 dBFS, so toneLevel(sine(f, r, ms, -10), r, f) ≈ -10 and rmsLevel agrees for a
// pure tone.

const FULL_SCALE = 32768;

/** |X(freq)|² over pcm[start, end) by the Goertzel recurrence, at any frequency (not only DFT bins). */
export function goertzelPower(pcm: Int16Array, rate: number, freq: number, start = 0, end = pcm.length): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = pcm[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Level in dBFS of the sinusoid at `freq`. A Hann window keeps other tones and noise from leaking in, and
 *  its wide main lobe tolerates small frequency errors; -Infinity for silence. */
export function toneLevel(pcm: Int16Array, rate: number, freq: number): number {
  const n = pcm.length;
  if (n === 0) return -Infinity;
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1 || 1));
    windowSum += w;
    const s0 = pcm[i]! * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  // A sine of amplitude A gives |X| = A * Σw / 2.
  const amplitude = (2 * Math.sqrt(Math.max(0, power))) / windowSum;
  return 20 * Math.log10(amplitude / FULL_SCALE);
}

/** Overall level in dBFS (RMS, referenced so that a full-scale sine is 0 dBFS); -Infinity for silence. */
export function rmsLevel(pcm: Int16Array): number {
  if (pcm.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i]! * pcm[i]!;
  const rms = Math.sqrt(sum / pcm.length);
  return 20 * Math.log10((rms * Math.SQRT2) / FULL_SCALE);
}
