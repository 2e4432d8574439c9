import { describe, expect, it } from 'vitest';
import { measureTone } from './test-support.ts';
import { concat, sine } from './dsp/tone.ts';
import { createResampler } from './resampler.ts';

function inFrames(rs: { process(i: Int16Array): Int16Array }, signal: Int16Array, frame: number): Int16Array {
  const parts: Int16Array[] = [];
  for (let i = 0; i < signal.length; i += frame) parts.push(rs.process(signal.subarray(i, i + frame)));
  return concat(...parts);
}

describe('createResampler', () => {
  it('8k → 48k → 8k keeps a 1 kHz tone, 20 ms at a time', () => {
    const up = createResampler(8000, 48000);
    const down = createResampler(48000, 8000);
    const input = sine(1000, 8000, 1000, -10);
    const wide = inFrames(up, input, 160);
    expect(wide.length).toBe(48000);
    expect(Math.abs(measureTone(wide, 48000, 1000).level + 10)).toBeLessThan(0.5);
    const back = inFrames(down, wide, 960);
    expect(back.length).toBe(8000);
    const m = measureTone(back, 8000, 1000);
    expect(Math.abs(m.level + 10)).toBeLessThan(0.5);
    expect(m.total - m.level).toBeLessThan(0.5);
    for (const r of [up, down]) r.close();
  });

  it('frame-by-frame output equals one-shot output (state carries across frames: no clicks)', () => {
    const input = sine(697, 8000, 500, -6);
    const a = createResampler(8000, 16000);
    const b = createResampler(8000, 16000);
    const whole = a.process(input);
    const framed = inFrames(b, input, 160);
    expect(framed).toEqual(whole);
    a.close();
    b.close();
  });

  it('gives exactly the ratio per 20 ms frame for telephony rates', () => {
    for (const [from, to] of [[8000, 16000], [16000, 8000], [8000, 48000], [48000, 16000]] as const) {
      const rs = createResampler(from, to);
      for (let i = 0; i < 5; i++) expect(rs.process(new Int16Array(from / 50)).length).toBe(to / 50);
      rs.close();
    }
  });

  it('processInto writes into a caller buffer sized by maxOutput', () => {
    const rs = createResampler(16000, 48000, 3);
    const out = new Int16Array(rs.maxOutput(320));
    expect(rs.processInto(sine(1000, 16000, 20, -10), out)).toBe(960);
    expect(rs.delay).toBeGreaterThan(0);
    rs.reset();
    rs.close();
    expect(() => rs.process(new Int16Array(320))).toThrow(/closed/);
  });

  it('is a no-copy passthrough when the rates are equal', () => {
    const rs = createResampler(8000, 8000);
    const input = sine(1000, 8000, 20, -10);
    expect(rs.process(input)).toBe(input);
    expect(rs.delay).toBe(0);
  });

  it('rejects an invalid quality', () => {
    expect(() => createResampler(8000, 16000, 11)).toThrow(RangeError);
  });
});
