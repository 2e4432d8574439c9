import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { compareSweep, readS16le } from '../g711/g711-golden.ts';
import { linearToUlaw, ulawTables, ulawToLinear } from '../g711/tables.ts';
import { pcmu, ulawDecodeInto, ulawEncodeInto } from './index.ts';

const testdata = (name: string): URL => new URL(`./testdata/${name}`, import.meta.url);

describe('PCMU', () => {
  it('has the RFC 3551 static metadata', () => {
    expect(pcmu.info).toMatchObject({ name: 'PCMU', clockRate: 8000, sampleRate: 8000, payloadType: 0, frameMs: 20 });
  });

  it('encodes known values', () => {
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToUlaw(-1)).toBe(0x7f);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(linearToUlaw(1000)).toBe(0xce);
  });

  it('decodes known values', () => {
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x7f)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0xce)).toBe(988);
  });

  it('decode table equals SoX for all 256 codes', () => {
    const golden = readS16le(testdata('codes.s16le'));
    expect(Array.from(ulawTables().decode)).toEqual(Array.from(golden));
  });

  it('encodes a sweep like SoX, apart from one-code steps on decision boundaries', () => {
    const sweep = readS16le(testdata('sweep.s16le'));
    const reference = readFileSync(testdata('sweep.ulaw'));
    const ours = new Uint8Array(sweep.length);
    ulawEncodeInto(sweep, ours);
    const cmp = compareSweep(ours, reference, ulawTables().decode);
    expect(cmp.nonAdjacent).toBe(0);
    expect(cmp.mismatches / sweep.length).toBeLessThan(0.02);
  });

  it('encode LUT equals the bit-level reference, is monotonic and symmetric under one’s complement', () => {
    const { encode, decode } = ulawTables();
    let previous = -Infinity;
    let wrong = 0;
    let asymmetric = 0;
    let decreasing = 0;
    for (let s = -32768; s <= 32767; s++) {
      const code = encode[s & 0xffff]!;
      if (code !== linearToUlaw(s)) wrong++;
      if (encode[~s & 0xffff] !== (code ^ 0x80)) asymmetric++;
      const back = decode[code]!;
      if (back < previous) decreasing++;
      previous = back;
    }
    expect({ wrong, asymmetric, decreasing }).toEqual({ wrong: 0, asymmetric: 0, decreasing: 0 });
  });

  it('encodeInto/decodeInto work at an offset without allocating', () => {
    const pcm = Int16Array.from([0, -1, 1000, -1000, 32767, -32768]);
    const out = Buffer.alloc(10, 0x11);
    expect(ulawEncodeInto(pcm, out, 3)).toBe(6);
    expect([...out]).toEqual([0x11, 0x11, 0x11, 0xff, 0x7f, 0xce, 0x4e, 0x80, 0x00, 0x11]);
    const back = new Int16Array(6);
    expect(ulawDecodeInto(out.subarray(3, 9), back)).toBe(6);
    expect([...back]).toEqual([0, 0, 988, -988, 32124, -32124]);
  });
});

codecContract(pcmu, { toleranceDb: 1, frameBytes: 160 });
