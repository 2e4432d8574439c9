import { describe, expect, it } from 'vitest';
import { toneLevel } from '../codecs/dsp/goertzel.ts';
import { sine } from '../codecs/dsp/tone.ts';
import { findCodec } from '../codec-lookup.ts';
import { DecodeStage } from './decode-stage.ts';

describe('DecodeStage', () => {
  it('turns jittery, reordered, lossy packets into a continuous tone (jitter buffer + PLC)', () => {
    const pcmu = findCodec('PCMU')!;
    const stage = new DecodeStage({ ptimeMs: 20, jitterMinMs: 40, jitterMaxMs: 200 });
    stage.configure(pcmu, new Map([[0, pcmu]]));
    const enc = pcmu.createEncoder();
    const tone = sine(800, 8000, 2000, -12);
    const packets = Array.from({ length: 100 }, (_, i) => ({ seq: i, ts: i * 160, payload: enc.encode(tone.subarray(i * 160, (i + 1) * 160)) }));
    // 0–30 ms of jitter, packets 40 and 41 swapped, packet 60 lost.
    const arrival = packets.map((p, i) => ({ p, at: i * 20 + ((i * 7) % 31) })).filter((x) => x.p.seq !== 60);
    [arrival[40], arrival[41]] = [arrival[41]!, arrival[40]!];
    const out: Int16Array[] = [];
    for (let tick = 0; tick < 115; tick++) {
      const now = tick * 20;
      while (arrival[0] && arrival[0].at <= now) {
        const { p, at } = arrival.shift()!;
        stage.push(p.seq, p.ts, 0, p.payload, 0, p.payload.length, at);
      }
      const f = stage.pull();
      if (f) out.push(f.slice());
    }
    const all = new Int16Array(out.length * 160);
    out.forEach((f, i) => all.set(f, i * 160));
    expect(out.length).toBeGreaterThanOrEqual(99);
    // Every frame carries the tone, the concealed one included.
    for (let i = 2; i < 98; i++) expect(toneLevel(all.subarray(i * 160, (i + 1) * 160), 8000, 800), `frame ${i}`).toBeGreaterThan(-25);
    expect(stage.stats()['lost']).toBe(1);
  });

  it('copies what it queues: the receive area it was lent is overwritten right after each push', () => {
    const pcmu = findCodec('PCMU')!;
    const stage = new DecodeStage({ ptimeMs: 20, jitterMinMs: 40, jitterMaxMs: 200 });
    stage.configure(pcmu, new Map([[0, pcmu]]));
    const enc = pcmu.createEncoder();
    const tone = sine(600, 8000, 1000, -12);
    const area = Buffer.alloc(4096);
    const at = 1000;
    const out: Int16Array[] = [];
    for (let i = 0; i < 50; i++) {
      enc.encode(tone.subarray(i * 160, (i + 1) * 160)).copy(area, at);
      stage.push(i, i * 160, 0, area, at, 160, i * 20);
      area.fill(0x55); // the next batch lands here
      const f = stage.pull();
      if (f) out.push(f.slice());
    }
    expect(out.length).toBeGreaterThan(40);
    const all = new Int16Array(out.length * 160);
    out.forEach((f, i) => all.set(f, i * 160));
    for (let i = 4; i < out.length; i++) expect(toneLevel(all.subarray(i * 160, (i + 1) * 160), 8000, 600), `frame ${i}`).toBeGreaterThan(-25);
  });
});
