import { describe, expect, it } from 'vitest';
import { pcmu } from '../pcmu/index.ts';
import { gsm } from '../gsm/index.ts';
import { roundTrip } from '../test-support.ts';
import { concat, mix, silence, sine, whiteNoise } from '../dsp/tone.ts';
import { DtmfDetector, type DtmfDetection, type DtmfDetectorOptions } from './detector.ts';
import { dtmfSequence } from './generator.ts';

function detect(signal: Int16Array, frame = 160, options?: DtmfDetectorOptions): DtmfDetection[] {
  const d = new DtmfDetector(options);
  const events: DtmfDetection[] = [];
  for (let i = 0; i < signal.length; i += frame) events.push(...d.process(signal.subarray(i, i + frame)));
  return events;
}

const digitsOf = (events: DtmfDetection[]): string =>
  events.filter((e) => e.type === 'start').map((e) => e.digit).join('');

describe('DtmfDetector', () => {
  const clean = dtmfSequence('159#*0', { toneMs: 50, gapMs: 50, levelDbfs: -10 });

  it('detects "159#*0" (50 ms tones, 50 ms gaps, -10 dBFS) with a start and an end per digit', () => {
    const events = detect(clean);
    expect(digitsOf(events)).toBe('159#*0');
    expect(events.map((e) => e.type).join(',')).toBe(Array(6).fill('start,end').join(','));
    for (const e of events) if (e.type === 'end') expect(e.durationMs).toBeGreaterThanOrEqual(25);
    // Each digit starts within one 12.75 ms block of where it was sent (every 100 ms).
    const starts = events.filter((e) => e.type === 'start').map((e) => e.sample);
    starts.forEach((s, i) => expect(Math.abs(s - i * 800)).toBeLessThanOrEqual(102));
  });

  it('detects the same digits with -20 dBFS white noise added', () => {
    const noisy = mix(clean, whiteNoise(8000, 600, -20, 3));
    expect(digitsOf(detect(noisy))).toBe('159#*0');
  });

  it('detects them when the tone pair as a whole is -10 dBFS (each tone -13)', () => {
    const noisy = mix(dtmfSequence('159#*0', { toneMs: 50, gapMs: 50, levelDbfs: -13 }), whiteNoise(8000, 600, -20, 9));
    expect(digitsOf(detect(noisy))).toBe('159#*0');
  });

  it('does not depend on how the stream is cut into frames', () => {
    expect(detect(clean, 37)).toEqual(detect(clean, 160));
    expect(detect(clean, 1)).toEqual(detect(clean, 160));
  });

  it('accepts 40 ms tones at every alignment and rejects 20 ms ones (Q.24-style)', () => {
    for (let offset = 0; offset < 102; offset += 17) {
      const lead = new Int16Array(offset);
      expect(digitsOf(detect(concat(lead, dtmfSequence('2468', { toneMs: 40, gapMs: 40 }))))).toBe('2468');
      expect(digitsOf(detect(concat(lead, dtmfSequence('2468', { toneMs: 20, gapMs: 40 }))))).toBe('');
    }
  });

  it('rejects single tones, excessive twist and tones below the minimum level', () => {
    expect(digitsOf(detect(sine(697, 8000, 200, -10)))).toBe('');
    expect(digitsOf(detect(mix(sine(697, 8000, 200, -10), sine(1209, 8000, 200, -22))))).toBe('');
    expect(digitsOf(detect(mix(sine(697, 8000, 200, -22), sine(1209, 8000, 200, -10))))).toBe('');
    expect(digitsOf(detect(dtmfSequence('5', { levelDbfs: -45 })))).toBe('');
    expect(digitsOf(detect(dtmfSequence('5', { levelDbfs: -30 })))).toBe('5');
  });

  it('accepts normal twist up to 8 dB and reverse twist up to 4 dB', () => {
    expect(digitsOf(detect(dtmfSequence('5', { twistDb: -7 })))).toBe('5');
    expect(digitsOf(detect(dtmfSequence('5', { twistDb: 3 })))).toBe('5');
  });

  it('ignores noise and bridges a short dropout inside a digit', () => {
    expect(detect(whiteNoise(8000, 3000, -10, 5))).toEqual([]);
    const tone = dtmfSequence('7', { toneMs: 200, gapMs: 0 });
    tone.fill(0, 800, 840); // 5 ms gap in the middle
    expect(digitsOf(detect(tone))).toBe('7');
  });

  it('survives G.711 and GSM coding', () => {
    const sent = dtmfSequence('159#*0', { toneMs: 60, gapMs: 60, levelDbfs: -10 });
    expect(digitsOf(detect(roundTrip(pcmu, sent)))).toBe('159#*0');
    expect(digitsOf(detect(roundTrip(gsm, sent)))).toBe('159#*0');
  });

  it('reports the held digit and starts over after reset', () => {
    const d = new DtmfDetector();
    d.process(dtmfSequence('9', { toneMs: 100, gapMs: 0 }));
    expect(d.current).toBe('9');
    d.reset();
    expect(d.current).toBeUndefined();
    expect(d.process(silence(8000, 100))).toEqual([]);
  });

  it('works at 16 kHz', () => {
    const wide = dtmfSequence('0#', { sampleRate: 16000, toneMs: 50, gapMs: 50 });
    expect(digitsOf(detect(wide, 320, { sampleRate: 16000 }))).toBe('0#');
  });
});

describe('DtmfDetector, digit to digit', () => {
  it('ends one digit and starts the next when they follow without a pause', () => {
    const events = detect(concat(dtmfSequence('3', { toneMs: 80, gapMs: 0 }), dtmfSequence('6', { toneMs: 80, gapMs: 40 })));
    expect(events.map((e) => `${e.type}:${e.digit}`)).toEqual(['start:3', 'end:3', 'start:6', 'end:6']);
  });
});
