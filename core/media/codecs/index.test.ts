import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { NATIVE_ADDON_PATH } from '../native/index.ts';
import { codecs, findCodec, optionalCodecs } from './index.ts';
import { g722 } from './g722/index.ts';
import { l16Narrow, l16Wide } from './l16/index.ts';
import { opus } from './opus/index.ts';
import { pcma } from './pcma/index.ts';
import { pcmu } from './pcmu/index.ts';

describe('codec list', () => {
  it('imports without loading the native addon; G.711 works without it', () => {
    // Checked first, in this file's own process: nothing above has created a native codec yet.
    const cache = createRequire(import.meta.url).cache;
    pcmu.createDecoder().decode(pcmu.createEncoder().encode(new Int16Array(160)));
    expect(cache[NATIVE_ADDON_PATH]).toBeUndefined();
    opus.createEncoder().close?.();
    expect(cache[NATIVE_ADDON_PATH]).toBeDefined();
  });

  it('finds codecs by SDP name, case-insensitively, optionally by clock rate', () => {
    expect(findCodec('PCMU')).toBe(pcmu);
    expect(findCodec('pcma', 8000)).toBe(pcma);
    expect(findCodec('PCMU', 16000)).toBeUndefined();
    expect(findCodec('OPUS', 48000)).toBe(opus);
    expect(findCodec('G722', 8000)).toBe(g722);
    expect(findCodec('G722', 16000)).toBeUndefined();
    expect(findCodec('L16', 16000)).toBe(l16Wide);
    expect(findCodec('L16', 8000)).toBe(l16Narrow);
    expect(findCodec('telephone-event')).toBeUndefined();
    expect(findCodec('iLBC')).toBeUndefined();
  });

  it('lists codecs in order of preference with unique name/rate pairs', () => {
    const priorities = codecs.map((c) => c.info.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const keys = [...codecs, ...optionalCodecs].map((c) => `${c.info.name}/${c.info.clockRate}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(codecs.map((c) => c.info.name)).toEqual(['opus', 'G722', 'PCMU', 'PCMA', 'L16', 'L16', 'GSM']);
  });
});
