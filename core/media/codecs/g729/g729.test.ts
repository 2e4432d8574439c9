// G.729 is opt-in (GPL): these tests run only against an addon built with PBX_WITH_G729=1. The addon itself
// must still be built — loadNative() throws with the build command otherwise, failing this file.
import { describe, expect, it } from 'vitest';
import { loadNative } from '../../native/index.ts';
import { codecContract } from '../codec-contract.ts';
import { sine } from '../dsp/tone.ts';
import { findCodec } from '../index.ts';
import { g729, g729Available } from './index.ts';

const built = loadNative().features.g729;

describe('G.729 availability', () => {
  it('is offered by findCodec exactly when the addon was built with it', () => {
    expect(g729Available()).toBe(built);
    expect(findCodec('G729') === g729).toBe(built);
  });

  it.skipIf(built)('explains how to enable it when absent', () => {
    expect(() => g729.createEncoder()).toThrow(/PBX_WITH_G729=1/);
  });
});

describe.skipIf(!built)('G.729 (bcg729)', () => {
  it('has PT 18, annexb=no, 10 bytes per 10 ms', () => {
    expect(g729.info).toMatchObject({ name: 'G729', payloadType: 18, clockRate: 8000, fmtp: 'annexb=no' });
    const enc = g729.createEncoder();
    expect(enc.encode(sine(1000, 8000, 20, -10)).length).toBe(20);
    enc.close?.();
  });

  it('decodes a trailing 2-byte SID frame (Annex B peers) without throwing', () => {
    const enc = g729.createEncoder();
    const dec = g729.createDecoder();
    const voice = enc.encode(sine(1000, 8000, 10, -10));
    expect(dec.decode(Buffer.concat([voice, Buffer.from([0x12, 0x34])])).length).toBe(160);
    enc.close?.();
    dec.close?.();
  });
});

if (built) codecContract(g729, { toleranceDb: 3, frameBytes: 20 });
