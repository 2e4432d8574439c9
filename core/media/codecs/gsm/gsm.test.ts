import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { sine } from '../dsp/tone.ts';
import { gsm } from './index.ts';

describe('GSM 06.10', () => {
  it('has PT 3 at 8 kHz', () => {
    expect(gsm.info).toMatchObject({ name: 'GSM', payloadType: 3, clockRate: 8000, sampleRate: 8000, frameMs: 20 });
  });

  it('writes 33-byte frames with the 0xD signature and decodes multi-frame packets', () => {
    const enc = gsm.createEncoder();
    const dec = gsm.createDecoder();
    const packet = enc.encode(sine(1000, 8000, 40, -10)); // ptime 40: two frames
    expect(packet.length).toBe(66);
    expect(packet[0]! >> 4).toBe(0xd);
    expect(packet[33]! >> 4).toBe(0xd);
    expect(dec.decode(packet).length).toBe(320);
    enc.close?.();
    dec.close?.();
  });

  it('conceals instead of throwing on a frame without the signature', () => {
    const dec = gsm.createDecoder();
    expect(dec.decode(Buffer.alloc(33)).length).toBe(160);
    dec.close?.();
  });
});

codecContract(gsm, { toleranceDb: 3, frameBytes: 33 });
