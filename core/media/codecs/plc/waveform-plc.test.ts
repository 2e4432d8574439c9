import { describe, expect, it } from 'vitest';
import { rmsLevel, toneLevel } from '../dsp/goertzel.ts';
import { sine } from '../dsp/tone.ts';
import { WaveformPlc } from './waveform-plc.ts';

function primed(rate: number, freq: number, db = -10): { plc: WaveformPlc; tone: Int16Array } {
  const plc = new WaveformPlc(rate);
  const tone = sine(freq, rate, 1000, db);
  const frame = rate / 50;
  for (let f = 0; f < 10; f++) plc.observe(tone.slice(f * frame, (f + 1) * frame));
  return { plc, tone };
}

describe('WaveformPlc', () => {
  it('continues a periodic signal at full level for the first 10 ms, matching the lost audio', () => {
    for (const [rate, freq] of [[8000, 1000], [8000, 230], [16000, 440]] as const) {
      const { plc, tone } = primed(rate, freq);
      const frame = rate / 50;
      const out = plc.conceal(new Int16Array(rate / 100));
      const lost = tone.subarray(10 * frame, 10 * frame + out.length);
      let err = 0;
      for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i]! - lost[i]!));
      expect(err / 32768).toBeLessThan(0.05); // within 5 % of full scale of the real continuation
      expect(toneLevel(out, rate, freq)).toBeCloseTo(-10, 0);
    }
  });

  it('fades to silence by 60 ms of consecutive loss', () => {
    const { plc } = primed(8000, 1000);
    const frames = Array.from({ length: 4 }, () => plc.conceal(new Int16Array(160)));
    expect(rmsLevel(frames[1]!)).toBeLessThan(rmsLevel(frames[0]!));
    expect(rmsLevel(frames[2]!)).toBeLessThan(rmsLevel(frames[1]!));
    expect(frames[3]!.every((v) => v === 0)).toBe(true);
  });

  it('cross-fades into the first good frame after a loss instead of clicking', () => {
    const { plc, tone } = primed(8000, 1000);
    const concealed = plc.conceal(new Int16Array(160));
    // The concealment continues at tone[1760] (a zero crossing); resume at a peak instead (a quarter period
    // off), so joining without a fade would jump by more than the signal ever moves in one sample.
    const resumed = tone.slice(1762, 1922);
    const raw = resumed.slice();
    plc.observe(resumed);
    const maxStep = (a: Int16Array, b: Int16Array): number => {
      const joined = [...a.subarray(-8), ...b.subarray(0, 40)];
      return Math.max(...joined.slice(1).map((v, i) => Math.abs(v - joined[i]!)));
    };
    const natural = maxStep(tone.subarray(0, 8), tone.subarray(8, 48));
    expect(maxStep(concealed, raw)).toBeGreaterThan(1.5 * natural); // without the fade: a click
    expect(maxStep(concealed, resumed)).toBeLessThanOrEqual(natural * 1.15);
    expect(resumed.subarray(32)).toEqual(raw.subarray(32));
  });

  it('conceals silence after reset and with no history', () => {
    const plc = new WaveformPlc(8000);
    expect(plc.conceal(new Int16Array(160)).every((v) => v === 0)).toBe(true);
  });
});
