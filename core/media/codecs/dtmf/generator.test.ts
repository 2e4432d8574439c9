import { describe, expect, it } from 'vitest';
import { toneLevel } from '../dsp/goertzel.ts';
import { DtmfGenerator, dtmfSequence } from './generator.ts';
import { dtmfFrequencies } from './keypad.ts';

describe('DTMF generator', () => {
  it('maps keys to their Q.23 frequency pairs', () => {
    expect(dtmfFrequencies('1')).toEqual([697, 1209]);
    expect(dtmfFrequencies('#')).toEqual([941, 1477]);
    expect(dtmfFrequencies('d')).toEqual([941, 1633]);
    expect(dtmfFrequencies('x')).toBeUndefined();
  });

  it('produces both tones at the requested level per tone, then the gap', () => {
    const s = dtmfSequence('5', { toneMs: 100, gapMs: 50, levelDbfs: -12 });
    expect(s.length).toBe(1200);
    const tone = s.subarray(80, 720); // skip the edges
    expect(toneLevel(tone, 8000, 770)).toBeCloseTo(-12, 0);
    expect(toneLevel(tone, 8000, 1336)).toBeCloseTo(-12, 0);
    expect(toneLevel(tone, 8000, 697)).toBeLessThan(-40);
    expect(s.subarray(800).every((v) => v === 0)).toBe(true);
  });

  it('streams across frames without phase jumps (same as one buffer)', () => {
    const whole = dtmfSequence('19', { toneMs: 70, gapMs: 30 });
    const gen = new DtmfGenerator({ toneMs: 70, gapMs: 30 });
    gen.send('19');
    const framed = new Int16Array(whole.length);
    for (let i = 0; i < framed.length; i += 160) gen.fill(framed.subarray(i, i + 160));
    expect(framed).toEqual(whole);
    expect(gen.busy).toBe(false);
    const after = new Int16Array(160).fill(5);
    expect(gen.fill(after)).toBe(false);
    expect(after.every((v) => v === 0)).toBe(true);
  });

  it('rejects non-DTMF characters and can cancel', () => {
    const gen = new DtmfGenerator();
    expect(() => gen.send('12x')).toThrow(RangeError);
    expect(gen.busy).toBe(false);
    gen.send('123');
    expect(gen.busy).toBe(true);
    gen.cancel();
    expect(gen.busy).toBe(false);
  });
});
