import { describe, expect, it } from 'vitest';
import { codecContract } from '../codec-contract.ts';
import { frameSamples, rtpTicks } from '../codec.ts';
import { toneLevel } from '../dsp/goertzel.ts';
import { silence, sine } from '../dsp/tone.ts';
import { opus, opusCodec, OpusDecoderImpl } from './index.ts';

describe('Opus', () => {
  it('advertises opus/48000/2 with in-band FEC whatever the PCM rate (RFC 7587)', () => {
    expect(opus.info).toMatchObject({ name: 'opus', clockRate: 48000, sampleRate: 16000, channels: 1, sdpChannels: 2 });
    expect(opus.info.payloadType).toBeUndefined();
    expect(opus.info.fmtp).toBe('maxplaybackrate=16000;sprop-maxcapturerate=16000;minptime=10;useinbandfec=1');
    expect(opusCodec({ sampleRate: 48000 }).info.fmtp).toBe('minptime=10;useinbandfec=1');
    expect(frameSamples(opus.info)).toBe(320);
    expect(rtpTicks(opus.info)).toBe(960);
  });

  it('conceals with its own PLC for durations that are not whole 2.5 ms, and past 120 ms', () => {
    const dec = opus.createDecoder();
    expect(dec.conceal(100).length).toBe(100);
    expect(dec.conceal(16000 * 0.2).length).toBe(3200);
    dec.close?.();
  });

  it('rebuilds a lost frame from the next packet’s FEC data', () => {
    const codec = opusCodec({ sampleRate: 16000, fec: true, packetLossPercent: 20 });
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    expect(dec).toBeInstanceOf(OpusDecoderImpl);
    const frame = frameSamples(codec.info);
    const tone = sine(440, 16000, 400, -12);
    const packets: Buffer[] = [];
    for (let f = 0; f + frame <= tone.length; f += frame) packets.push(enc.encode(tone.subarray(f, f + frame)));
    for (let i = 0; i < 10; i++) dec.decode(packets[i]!);
    // packets[10] is lost; packets[11] carries its LBRR copy.
    const rebuilt = (dec as OpusDecoderImpl).decodeFec(packets[11]!, frame);
    expect(rebuilt.length).toBe(frame);
    expect(Math.abs(toneLevel(rebuilt, 16000, 440) + 12)).toBeLessThan(3);
    expect(dec.decode(packets[11]!).length).toBe(frame);
    enc.close?.();
    dec.close?.();
  });

  it('with DTX returns empty payloads for silence', () => {
    const codec = opusCodec({ dtx: true });
    const enc = codec.createEncoder();
    const quiet = silence(16000, 20);
    const sizes = Array.from({ length: 50 }, () => enc.encode(quiet).length);
    expect(sizes.slice(-10)).toContain(0);
    enc.close?.();
  });

  it('reports packet duration and rejects use after close', () => {
    const enc = opus.createEncoder();
    const dec = new OpusDecoderImpl(opus.info);
    const packet = enc.encode(sine(1000, 16000, 20, -20));
    expect(dec.packetSamples(packet)).toBe(320);
    expect(dec.packetSamples(Buffer.alloc(0))).toBe(-1);
    enc.close?.();
    expect(() => enc.encode(sine(1000, 16000, 20, -20))).toThrow(/closed/);
    dec.close();
  });

  it('rejects a frame that is not a valid Opus duration', () => {
    const enc = opus.createEncoder();
    expect(() => enc.encode(new Int16Array(321))).toThrow();
    enc.close?.();
  });
});

codecContract(opusCodec({ sampleRate: 8000 }), { toleranceDb: 3 });
codecContract(opus, { toleranceDb: 3 });
codecContract(opusCodec({ sampleRate: 48000 }), { toleranceDb: 3 });
