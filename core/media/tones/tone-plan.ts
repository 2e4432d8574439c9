// Named tones (North American call-progress values of ITU-T E.180 supplement 2; DTMF per Q.23).
// Levels are per component.

import type { ToneSpec } from './tone-generator.ts';

export type ToneName = 'ringback' | 'busy' | 'congestion' | 'dial' | 'beep' | 'join' | 'leave' | 'record-beep';

const tones: Record<ToneName, ToneSpec> = {
  ringback: { freqs: [440, 480], levelDbfs: -19, cadence: [2000, 4000] },
  busy: { freqs: [480, 620], levelDbfs: -19, cadence: [500, 500] },
  congestion: { freqs: [480, 620], levelDbfs: -19, cadence: [250, 250] },
  dial: { freqs: [350, 440], levelDbfs: -19, cadence: [] },
  beep: { freqs: [1000], levelDbfs: -12, cadence: [], durationMs: 250 },
  'record-beep': { freqs: [1000], levelDbfs: -12, cadence: [], durationMs: 300 },
  join: { freqs: [660, 880], levelDbfs: -20, cadence: [120, 40], durationMs: 280 },
  leave: { freqs: [880, 440], levelDbfs: -20, cadence: [120, 40], durationMs: 280 },
};

export function toneSpec(name: ToneName, durationMs?: number): ToneSpec {
  const spec = tones[name];
  return durationMs === undefined ? spec : { ...spec, durationMs };
}

export function isToneName(s: string): s is ToneName {
  return Object.hasOwn(tones, s);
}
