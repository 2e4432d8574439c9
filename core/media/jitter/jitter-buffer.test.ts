import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterOutput } from './jitter-buffer.ts';

const opts = { clockRate: 8000, frameDuration: 160, minDelayMs: 40, maxDelayMs: 200 };
const pkt = (seq: number, ts = seq * 160) => ({ seq, timestamp: ts >>> 0, payloadType: 0, payload: Buffer.from([seq & 0xff]) });
const kinds = (o: JitterOutput[]) => o.map((x) => (x.type === 'packet' ? `p${x.packet.seq}` : x.type[0]!));

/** Feed packets at 20 ms spacing (plus per-packet extra delay) and pull every 20 ms. */
function run(jb: JitterBuffer, order: number[], delays: number[] = [], ticks = order.length + 12): string[] {
  const arrivals = order.map((seq, i) => ({ seq, at: seq * 20 + (delays[i] ?? 0) })).sort((a, b) => a.at - b.at);
  const out: string[] = [];
  for (let t = 0; t < ticks; t++) {
    const now = t * 20 + 10;
    while (arrivals[0] && arrivals[0].at <= now) {
      const a = arrivals.shift()!;
      jb.processInput({ type: 'packet', packet: pkt(a.seq), arrivalMs: a.at });
    }
    out.push(...kinds(jb.processInput({ type: 'pull', duration: 160 })));
  }
  return out;
}

describe('JitterBuffer', () => {
  it('prefills to the target delay, then plays packets in order', () => {
    const jb = new JitterBuffer(opts);
    const out = run(jb, [0, 1, 2, 3, 4, 5], [], 8);
    expect(out.slice(0, 1)).toEqual(['s']);
    expect(out.filter((x) => x.startsWith('p'))).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('puts reordered packets back in order', () => {
    const jb = new JitterBuffer(opts);
    const out = run(jb, [0, 1, 3, 2, 4, 5, 6]);
    expect(out.filter((x) => x.startsWith('p'))).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(jb.toJSON().lost).toBe(0);
  });

  it('conceals a lost packet in place', () => {
    const jb = new JitterBuffer(opts);
    const out = run(jb, [0, 1, 2, 4, 5, 6]);
    const played = out.filter((x) => x !== 's');
    expect(played.slice(0, 5)).toEqual(['p0', 'p1', 'p2', 'c', 'p4']);
    expect(jb.toJSON().lost).toBe(1);
  });

  it('drops a packet that arrives after its playout time', () => {
    const jb = new JitterBuffer(opts);
    const out = run(jb, [0, 1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 200, 0, 0, 0, 0]);
    expect(out).not.toContain('p3');
    expect(jb.toJSON().late).toBe(1);
  });

  it('raises its target under jitter and loses nothing', () => {
    const jb = new JitterBuffer(opts);
    const n = 200;
    const order = Array.from({ length: n }, (_, i) => i);
    const delays = order.map((i) => (i * 37) % 50); // 0..49 ms of jitter
    const out = run(jb, order, delays, n + 20);
    const stats = jb.toJSON();
    expect(stats.targetMs!).toBeGreaterThan(40);
    expect(stats.late! + stats.lost!).toBeLessThan(n * 0.05);
    expect(out.filter((x) => x.startsWith('p')).length).toBeGreaterThan(n * 0.9);
  });

  it('conceals a short stall, then goes silent when the stream stops', () => {
    const jb = new JitterBuffer(opts);
    const out = run(jb, [0, 1, 2, 3], [], 30);
    const after = out.slice(out.lastIndexOf('p3') + 1);
    expect(after.slice(0, 3)).toEqual(['c', 'c', 'c']);
    expect(after[after.length - 1]).toBe('s');
  });

  it('resynchronises on a timestamp jump instead of concealing the gap', () => {
    const jb = new JitterBuffer(opts);
    for (let i = 0; i < 4; i++) jb.processInput({ type: 'packet', packet: pkt(i), arrivalMs: i * 20 });
    for (let i = 0; i < 3; i++) jb.processInput({ type: 'pull', duration: 160 });
    for (let i = 0; i < 4; i++) jb.processInput({ type: 'packet', packet: pkt(10 + i, 80_000 + i * 160), arrivalMs: 100 + i * 20 });
    const out: string[] = [];
    for (let i = 0; i < 6; i++) out.push(...kinds(jb.processInput({ type: 'pull', duration: 160 })));
    expect(out.filter((x) => x.startsWith('p'))).toEqual(['p10', 'p11', 'p12', 'p13']);
    expect(jb.toJSON().resyncs).toBe(1);
  });

  it('survives timestamp wrap-around', () => {
    const jb = new JitterBuffer(opts);
    const base = 0xffffff00;
    const out: string[] = [];
    for (let i = 0; i < 6; i++) {
      jb.processInput({ type: 'packet', packet: pkt(i, base + i * 160), arrivalMs: i * 20 });
      out.push(...kinds(jb.processInput({ type: 'pull', duration: 160 })));
    }
    expect(out).toEqual(['s', 'p0', 'p1', 'p2', 'p3', 'p4']);
  });
});
