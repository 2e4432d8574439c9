import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, wavHeader } from './wav.ts';

describe('WAV parsing', () => {
  it('round-trips 16-bit PCM and reads an unpatched (crashed) header', () => {
    const pcm = Int16Array.from([0, 1000, -1000, 32767, -32768]);
    expect(parseWav(encodeWav(8000, pcm))).toEqual({ rate: 8000, samples: pcm });
    const crashed = encodeWav(8000, pcm);
    crashed.writeUInt32LE(0, 40);
    expect(parseWav(crashed).samples).toEqual(pcm);
  });

  it('downmixes stereo and decodes µ-law and 8-bit PCM', () => {
    const stereo = Buffer.concat([wavHeader(8000, 8, 2), Buffer.from(Int16Array.from([100, 300, -100, -300]).buffer)]);
    stereo.writeUInt16LE(4, 32);
    expect([...parseWav(stereo).samples]).toEqual([200, -200]);
    const ulaw = Buffer.concat([wavHeader(8000, 2), Buffer.from([0xff, 0x00])]);
    ulaw.writeUInt16LE(7, 20);
    ulaw.writeUInt16LE(8, 34);
    const u = parseWav(ulaw).samples;
    expect(u[0]).toBe(0);
    expect(u[1]).toBeLessThan(-30000);
    const u8 = Buffer.concat([wavHeader(8000, 2), Buffer.from([128, 255])]);
    u8.writeUInt16LE(8, 34);
    expect([...parseWav(u8).samples]).toEqual([0, 127 << 8]);
  });

  it('rejects what is not a WAV', () => {
    expect(() => parseWav(Buffer.from('hello world, not riff'))).toThrow(/RIFF/);
    const odd = encodeWav(8000, new Int16Array(2));
    odd.writeUInt16LE(3, 20); // IEEE float
    expect(() => parseWav(odd)).toThrow(/unsupported/);
  });
});
