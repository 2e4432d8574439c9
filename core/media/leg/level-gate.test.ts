import { describe, expect, it } from 'vitest';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { LevelGate } from './level-gate.ts';

const PCMU = findCodec('PCMU')!;
const PCMA = findCodec('PCMA')!;

function frame(codec: typeof PCMU, dbfs: number): Buffer {
  const enc = codec.createEncoder();
  return enc.encode(sine(400, 8000, 20, dbfs));
}

describe('LevelGate', () => {
  it('opens on a G.711 packet at the talk threshold and not on silence or a quiet one', () => {
    for (const codec of [PCMU, PCMA]) {
      const g = new LevelGate(-45, 300);
      expect(g.configure(codec)).toBe(true);
      const silence = codec === PCMU ? Buffer.alloc(160, 0xff) : Buffer.alloc(160, 0xd5);
      expect(g.admit(codec, silence, 0, 160, 0)).toBe(false);
      expect(g.admit(codec, frame(codec, -55), 0, 160, 20)).toBe(false);
      expect(g.admit(codec, frame(codec, -35), 0, 160, 40)).toBe(true);
      // Open: quiet packets go through too (word endings, the mixer's own hangover).
      expect(g.admit(codec, silence, 0, 160, 60)).toBe(true);
    }
  });

  it('closes once nothing loud has come for its hold time', () => {
    const g = new LevelGate(-45, 300);
    g.configure(PCMU);
    g.admit(PCMU, frame(PCMU, -20), 0, 160, 1000);
    expect(g.closeIfQuiet(1200)).toBe(false);
    expect(g.closeIfQuiet(1300)).toBe(false);
    expect(g.closeIfQuiet(1301)).toBe(true);
    expect(g.open).toBe(false);
    expect(g.admit(PCMU, Buffer.alloc(160, 0xff), 0, 160, 1320)).toBe(false);
  });

  it('does not judge codecs whose level needs a decode (always admits)', () => {
    const opus = findCodec('opus');
    const g = new LevelGate(-45, 300);
    expect(g.configure(opus)).toBe(false);
    expect(g.judges).toBe(false);
    expect(g.admit(opus!, Buffer.alloc(10), 0, 10, 0)).toBe(true);
  });
});
