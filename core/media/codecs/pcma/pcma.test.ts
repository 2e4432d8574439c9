import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { compareSweep, readS16le } from '../g711/g711-golden.ts';
import { alawTables, alawToLinear, linearToAlaw } from '../g711/tables.ts';
import { alawDecodeInto, alawEncodeInto, pcma } from './index.ts';

const testdata = (name: string): URL => new URL(`./testdata/${name}`, import.meta.url);

describe('PCMA', () => {
  it('has the RFC 3551 static metadata', () => {
    expect(pcma.info).toMatchObject({ name: 'PCMA', clockRate: 8000, sampleRate: 8000, payloadType: 8, frameMs: 20 });
  });

  it('encodes known values', () => {
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(linearToAlaw(1000)).toBe(0xfa);
  });

  it('decodes known values', () => {
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
    expect(alawToLinear(0xfa)).toBe(1008);
  });

  it('decode table equals SoX for all 256 codes', () => {
    const golden = readS16le(testdata('codes.s16le'));
    expect(Array.from(alawTables().decode)).toEqual(Array.from(golden));
  });

  it('encodes a sweep like SoX, apart from one-code steps on decision boundaries', () => {
    const sweep = readS16le(testdata('sweep.s16le'));
    const reference = readFileSync(testdata('sweep.alaw'));
    const ours = new Uint8Array(sweep.length);
    alawEncodeInto(sweep, ours);
    const cmp = compareSweep(ours, reference, alawTables().decode);
    expect(cmp.nonAdjacent).toBe(0);
    expect(cmp.mismatches / sweep.length).toBeLessThan(0.02);
  });

  it('encode LUT equals the bit-level reference, is monotonic and symmetric under one’s complement', () => {
    const { encode, decode } = alawTables();
    let previous = -Infinity;
    let wrong = 0;
    let asymmetric = 0;
    let decreasing = 0;
    for (let s = -32768; s <= 32767; s++) {
      const code = encode[s & 0xffff]!;
      if (code !== linearToAlaw(s)) wrong++;
      if (encode[~s & 0xffff] !== (code ^ 0x80)) asymmetric++;
      const back = decode[code]!;
      if (back < previous) decreasing++;
      previous = back;
    }
    expect({ wrong, asymmetric, decreasing }).toEqual({ wrong: 0, asymmetric: 0, decreasing: 0 });
  });

  it('encodeInto/decodeInto work at an offset', () => {
    const pcm = Int16Array.from([0, -1, 1000, 32767]);
    const out = Buffer.alloc(6, 0x11);
    expect(alawEncodeInto(pcm, out, 1)).toBe(4);
    expect([...out]).toEqual([0x11, 0xd5, 0x55, 0xfa, 0xaa, 0x11]);
    const back = new Int16Array(4);
    expect(alawDecodeInto(out.subarray(1, 5), back)).toBe(4);
    expect([...back]).toEqual([8, -8, 1008, 32256]);
  });
});

codecContract(pcma, { toleranceDb: 1, frameBytes: 160 });
