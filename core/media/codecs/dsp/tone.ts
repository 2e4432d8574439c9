// Test and prompt signals. Levels use the same dBFS reference as goertzel.ts (full-scale sine = 0 dBFS).

const FULL_SCALE = 32768;

function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
}

/** `ms` of a sine at `freq` Hz and `amplitudeDbfs`, starting at phase 0. */
export function sine(freq: number, rate: number, ms: number, amplitudeDbfs: number): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  const a = FULL_SCALE * 10 ** (amplitudeDbfs / 20);
  const w = (2 * Math.PI * freq) / rate;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = clamp16(a * Math.sin(w * i));
  return out;
}

export function silence(rate: number, ms: number): Int16Array {
  return new Int16Array(Math.round((rate * ms) / 1000));
}

/** Deterministic white noise (uniform) whose RMS level is `levelDbfs`; the seed makes tests repeatable. */
export function whiteNoise(rate: number, ms: number, levelDbfs: number, seed = 1): Int16Array {
  const n = Math.round((rate * ms) / 1000);
  // Uniform on [-a, a] has RMS a/√3; a full-scale sine has RMS 32768/√2.
  const a = ((FULL_SCALE / Math.SQRT2) * 10 ** (levelDbfs / 20)) * Math.sqrt(3);
  let state = seed >>> 0 || 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    // xorshift32: small, fast and good enough for test noise.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = clamp16(((state / 0xffffffff) * 2 - 1) * a);
  }
  return out;
}

/** Sample-wise sum with saturation; the result is as long as the longest input. */
export function mix(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(Math.max(0, ...signals.map((s) => s.length)));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const s of signals) v += s[i] ?? 0;
    out[i] = clamp16(v);
  }
  return out;
}

export function concat(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(signals.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of signals) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}
