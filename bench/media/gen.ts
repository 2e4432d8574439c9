// Cheap RTP load generator for the capacity ramps (calls, conference): one Node process, a small
// pool of UDP sockets shared by all legs (a leg's SDP names its pool socket's port; the media
// server latches per leg, so sharing a source port is fine). Each leg gets one preallocated
// 172-byte packet (12-byte header + 160-byte G.711 payload) whose seq/ts are patched in place and
// sent every 20 ms. Legs are spread over four 5 ms slots so the server does not see one burst per
// tick (phones are not synchronised). Receivers only count packets.

import { createUdpTransport } from '../../core/media/rtp/udp-transports.ts';
import type { UdpPort, UdpTransport } from '../../core/media/rtp/udp-transport.ts';
import { LOAD_PORTS } from './load.ts';

export const PCMU_SILENCE = 0xff;
export const PCMA_SILENCE = 0xd5;

export interface GenLeg {
  /** Index of the pool socket this leg sends from and receives on. */
  sock: number;
  pt: number;
  target: number;
  packet: Buffer;
  seq: number;
  ts: number;
  /** RTP timestamp step per 20 ms packet (160 for G.711, 960 for Opus). */
  tsStep: number;
}

export interface Counters {
  sent: number;
  received: number;
}

const SLOTS = 4;
const SLOT_MS = 20 / SLOTS;
const CATCH_UP_SLOTS = 5 * SLOTS;

/** ITU-T G.711 µ-law encoding of one linear 16-bit sample (own implementation of the standard). */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

/** 160 µ-law samples of a 400 Hz tone at about -12 dBFS (a "talker"; continuous phase per 20 ms). */
export function ulawTone(): Buffer {
  const b = Buffer.alloc(160);
  for (let i = 0; i < 160; i++) b[i] = linearToUlaw(8000 * Math.sin((2 * Math.PI * 400 * i) / 8000));
  return b;
}

export class Generator {
  readonly legs: GenLeg[] = [];
  readonly counters: Counters = { sent: 0, received: 0 };
  private timer: NodeJS.Timeout | undefined;
  private start = 0;
  private done = 0;
  private running = false;

  private readonly target = { address: '127.0.0.1', port: 0 };

  private constructor(
    private readonly udp: UdpTransport,
    private readonly sockets: UdpPort[],
    private readonly rtcp: UdpPort[],
  ) {
    for (const s of sockets) s.onDatagram = () => this.counters.received++;
  }

  /**
   * The generator runs on the same 2 cores as the server it loads, so it uses the media server's own
   * UDP layer: the native one (when built) sends and counts for a fraction of dgram's cost, so the
   * generator keeps up with the rates the ramps ask for.
   */
  static async open(poolSize: number): Promise<Generator> {
    const udp = createUdpTransport('auto');
    const sockets: UdpPort[] = [];
    // Even ports with the odd one above bound too (see bindRtpPair in load.ts: the server's RTCP goes there).
    const rtcp: UdpPort[] = [];
    for (let tries = 0; sockets.length < poolSize && tries < poolSize * 50; tries++) {
      const port = LOAD_PORTS[0] + 2 * Math.floor(Math.random() * ((LOAD_PORTS[1] - LOAD_PORTS[0]) / 2));
      const s = await udp.bind('127.0.0.1', port);
      const c = s && (await udp.bind('127.0.0.1', port + 1));
      if (s && c) {
        sockets.push(s);
        rtcp.push(c);
      } else s?.close();
    }
    if (sockets.length < poolSize) throw new Error('load generator: no free even/odd UDP port pairs on 127.0.0.1');
    return new Generator(udp, sockets, rtcp);
  }

  get udpKind(): string {
    return this.udp.kind;
  }

  /** Port the next leg's SDP should advertise (round-robin over the pool). */
  portFor(index: number): number {
    return this.sockets[index % this.sockets.length]!.port;
  }

  /** `payload` is one 20 ms frame (160 bytes of G.711 unless said otherwise), sent again every 20 ms. */
  addLeg(index: number, pt: number, payload: Buffer, target: number, tsStep = 160): GenLeg {
    const packet = Buffer.alloc(12 + payload.length);
    packet[0] = 0x80;
    packet[1] = pt;
    packet.writeUInt32BE((0x10000 + this.legs.length * 7919) >>> 0, 8);
    payload.copy(packet, 12);
    const leg: GenLeg = { sock: index % this.sockets.length, pt, target, packet, seq: this.legs.length & 0xffff, ts: 0, tsStep };
    this.legs.push(leg);
    return leg;
  }

  /** Send at 50 pps per leg until stop(); paced on wall time, catches up (bounded) after a late timer. */
  run(): void {
    if (this.running) return;
    this.running = true;
    this.start = performance.now();
    this.done = 0;
    const step = (): void => {
      if (!this.running) return;
      const due = Math.floor((performance.now() - this.start) / SLOT_MS);
      // Up to 100 ms of catch-up after a late timer (the shared machine stalls us that long at times);
      // older slots are dropped rather than bursted, and the ramps flag a step whose offered load fell short.
      if (due - this.done > CATCH_UP_SLOTS) this.done = due - CATCH_UP_SLOTS;
      for (; this.done < due; this.done++) this.sendSlot(this.done % SLOTS);
      const next = this.start + (this.done + 1) * SLOT_MS;
      this.timer = setTimeout(step, Math.max(0, next - performance.now()));
    };
    step();
  }

  private sendSlot(slot: number): void {
    const legs = this.legs;
    const to = this.target;
    for (let i = slot; i < legs.length; i += SLOTS) {
      const l = legs[i]!;
      l.seq = (l.seq + 1) & 0xffff;
      l.ts = (l.ts + l.tsStep) >>> 0;
      l.packet.writeUInt16BE(l.seq, 2);
      l.packet.writeUInt32BE(l.ts, 4);
      to.port = l.target;
      this.sockets[l.sock]!.sendTo(l.packet, 0, l.packet.length, to);
      this.counters.sent++;
    }
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  close(): void {
    this.stop();
    for (const s of [...this.sockets, ...this.rtcp]) s.close();
    this.udp.close();
  }
}
