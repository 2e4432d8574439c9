import { describe, expect, it } from 'vitest';
import { goertzelPower, rmsLevel, toneLevel } from './goertzel.ts';
import { concat, mix, silence, sine, whiteNoise } from './tone.ts';

describe('tone generator and Goertzel levels', () => {
  it('measures a sine at its nominal dBFS, at any frequency and rate', () => {
    for (const [freq, rate] of [[1000, 8000], [697, 8000], [6000, 16000], [440, 48000]] as const) {
      for (const db of [0, -10, -30, -50]) {
        const s = sine(freq, rate, 100, db);
        expect(Math.abs(toneLevel(s, rate, freq) - db)).toBeLessThan(0.1);
        expect(Math.abs(rmsLevel(s) - db)).toBeLessThan(0.1);
      }
    }
  });

  it('does not hear a tone that is not there', () => {
    const s = sine(1000, 8000, 100, -10);
    expect(toneLevel(s, 8000, 1500)).toBeLessThan(-60);
    expect(toneLevel(mix(s, sine(1336, 8000, 100, -10)), 8000, 1000)).toBeCloseTo(-10, 0);
  });

  it('reports silence as -Infinity', () => {
    expect(toneLevel(silence(8000, 20), 8000, 1000)).toBe(-Infinity);
    expect(rmsLevel(new Int16Array(0))).toBe(-Infinity);
  });

  it('makes repeatable white noise at the requested RMS level', () => {
    const n = whiteNoise(8000, 1000, -20, 7);
    expect(Math.abs(rmsLevel(n) + 20)).toBeLessThan(0.2);
    expect(whiteNoise(8000, 10, -20, 7)).toEqual(n.subarray(0, 80));
    expect(toneLevel(n, 8000, 1000)).toBeLessThan(-35);
  });

  it('goertzelPower of a bin-centred sine is (A·N/2)²', () => {
    const s = sine(1000, 8000, 20, -6); // 20 cycles in 160 samples
    const a = 32768 * 10 ** (-6 / 20);
    expect(Math.sqrt(goertzelPower(s, 8000, 1000)) / ((a * 160) / 2)).toBeCloseTo(1, 2);
  });

  it('mix saturates and concat joins', () => {
    const loud = sine(100, 8000, 10, 0);
    expect(Math.max(...mix(loud, loud))).toBe(32767);
    expect(concat(Int16Array.of(1), Int16Array.of(2, 3))).toEqual(Int16Array.of(1, 2, 3));
  });
});
