import { describe, expect, it } from 'vitest';
import { alawTables, ulawTables } from './tables.ts';
import { alawToUlawInto, ulawToAlawInto } from './transcode.ts';

describe('PCMU <-> PCMA byte transcoding', () => {
  it('equals decode-then-encode for every code', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const a = new Uint8Array(256);
    ulawToAlawInto(all, a);
    const u = alawTables();
    const m = ulawTables();
    for (let b = 0; b < 256; b++) expect(a[b]).toBe(u.encode[m.decode[b]! & 0xffff]);
  });

  it('round-trips a µ-law payload to within one quantisation step', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const back = new Uint8Array(256);
    ulawToAlawInto(all, back);
    alawToUlawInto(back, back); // in place
    const { decode } = ulawTables();
    for (let b = 0; b < 256; b++) {
      const original = decode[b]!;
      const step = Math.max(16, Math.abs(original) >> 4); // A-law step is at most 1/16 of the magnitude
      expect(Math.abs(decode[back[b]!]! - original)).toBeLessThanOrEqual(step);
    }
  });

  it('writes at an offset', () => {
    const out = Buffer.alloc(4);
    expect(ulawToAlawInto(Uint8Array.of(0xff, 0x00), out, 2)).toBe(2);
    expect([...out]).toEqual([0, 0, 0xd5, 0x2a]);
  });
});
