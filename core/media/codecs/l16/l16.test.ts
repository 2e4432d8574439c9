import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { l16DecodeInto, l16EncodeInto, l16Narrow, l16Wide } from './index.ts';

describe('L16', () => {
  it('is big-endian (network byte order, RFC 3551 4.5.11)', () => {
    const out = Buffer.alloc(8);
    expect(l16EncodeInto(Int16Array.from([1, -2, 0x1234, -32768]), out)).toBe(8);
    expect([...out]).toEqual([0x00, 0x01, 0xff, 0xfe, 0x12, 0x34, 0x80, 0x00]);
  });

  it('round-trips every sample exactly and ignores a trailing odd byte', () => {
    const pcm = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const bytes = Buffer.alloc(pcm.length * 2 + 1);
    l16EncodeInto(pcm, bytes);
    const back = new Int16Array(pcm.length);
    expect(l16DecodeInto(bytes, back)).toBe(pcm.length);
    expect(back).toEqual(pcm);
  });

  it('uses dynamic payload types at 8 and 16 kHz', () => {
    expect(l16Narrow.info).toMatchObject({ name: 'L16', clockRate: 8000, sampleRate: 8000 });
    expect(l16Wide.info).toMatchObject({ name: 'L16', clockRate: 16000, sampleRate: 16000 });
    expect(l16Wide.info.payloadType).toBeUndefined();
  });
});

codecContract(l16Narrow, { toleranceDb: 0.1, tones: [1000, 3000], frameBytes: 320 });
codecContract(l16Wide, { toleranceDb: 0.1, frameBytes: 640 });
