import { describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec, type CodecFactory } from '../codec-lookup.ts';
import type { PcmTap } from '../leg/leg.ts';
import { Mixer } from './mixer.ts';
import type { MixerPort } from './mixer-port.ts';

class FakePort implements MixerPort {
  tap: PcmTap | undefined;
  heard: Int16Array[] = [];
  own = 0;
  shared = 0;
  private readonly decoder;
  readonly sender = {
    sendPcm: (pcm: Int16Array, rate: number) => {
      expect(rate).toBe(8000);
      this.heard.push(pcm.slice());
      this.own++;
    },
    sendLocal: (payload: Buffer) => {
      this.heard.push(this.decoder.decode(payload));
      this.shared++;
    },
  };
  constructor(
    readonly id: string,
    readonly codec: CodecFactory,
    readonly sampleRate = 8000,
  ) {
    this.decoder = codec.createDecoder();
  }
  addTap(tap: PcmTap) {
    this.tap = tap;
    return () => (this.tap = undefined);
  }
}

const PCMU = findCodec('PCMU')!;
const opts = { ptimeMs: 20, talkThresholdDbfs: -45, tones: false };

function frames(freq: number, n: number): Int16Array[] {
  const all = sine(freq, 8000, 20 * n, -12);
  return Array.from({ length: n }, (_, i) => all.subarray(i * 160, (i + 1) * 160));
}

describe('Mixer', () => {
  it('gives each talker the others but not itself (mix-minus)', () => {
    const m = new Mixer('c1', opts);
    const freqs = [400, 700, 1100];
    const ports = freqs.map((_, i) => new FakePort(`p${i}`, PCMU));
    for (const p of ports) m.join(p);
    const input = freqs.map((f) => frames(f, 10));
    for (let t = 0; t < 10; t++) {
      ports.forEach((p, i) => p.tap!(input[i]![t]!, 8000));
      m.mixOnce();
    }
    ports.forEach((p, i) => {
      const heard = new Int16Array(p.heard.flatMap((f) => [...f]));
      for (const [j, f] of freqs.entries()) {
        const level = toneLevel(heard, 8000, f);
        if (i === j) expect(level).toBeLessThan(-50);
        else expect(level).toBeGreaterThan(-15);
      }
      expect(p.own).toBe(10);
    });
    expect(m.stats.talkers).toBe(3);
  });

  it('encodes once per codec for parties that are not talking, and honours mute', () => {
    const m = new Mixer('c2', opts);
    const talker = new FakePort('t', PCMU);
    const quiet = [new FakePort('q1', PCMU), new FakePort('q2', PCMU), new FakePort('q3', PCMU)];
    const muted = new FakePort('m', PCMU);
    for (const p of [talker, ...quiet, muted]) m.join(p);
    m.mute('m', true);
    const tone = frames(500, 5);
    const other = frames(900, 5);
    for (let t = 0; t < 5; t++) {
      talker.tap!(tone[t]!, 8000);
      muted.tap!(other[t]!, 8000);
      for (const q of quiet) q.tap!(new Int16Array(160), 8000);
      m.mixOnce();
    }
    expect(m.stats.sharedEncodes).toBe(5); // one PCMU encode per tick shared by 4 listeners
    expect(m.stats.ownEncodes).toBe(5);
    for (const q of [...quiet, muted]) {
      const heard = new Int16Array(q.heard.flatMap((f) => [...f]));
      expect(toneLevel(heard, 8000, 500)).toBeGreaterThan(-15);
      expect(toneLevel(heard, 8000, 900)).toBeLessThan(-50);
    }
  });

  it('plays join and leave tones to the room and cleans up on leave', () => {
    const m = new Mixer('c3', { ...opts, tones: true });
    const a = new FakePort('a', PCMU);
    m.join(a);
    for (let t = 0; t < 5; t++) m.mixOnce();
    const heard = new Int16Array(a.heard.flatMap((f) => [...f]));
    expect(toneLevel(heard, 8000, 660)).toBeGreaterThan(-30);
    expect(m.leave('a')).toBe(true);
    expect(a.tap).toBeUndefined();
    expect(m.size).toBe(0);
  });
});
