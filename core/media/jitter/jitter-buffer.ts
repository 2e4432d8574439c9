// Adaptive jitter buffer as a pure processor (STYLE practice 7): packets go in with their arrival
// time, the decoder pulls by RTP-timestamp duration, and what comes out is a packet to decode, a
// gap to conceal, or silence (no stream). No timers, no sockets: the leg's tick drives it.
//
// Adaptation: the target delay follows ~3× the RFC 3550 interarrival jitter between min and max.
// An underrun conceals without advancing the playout point, so the delay grows by a frame when
// packets come late; when more than two frames above target are queued, one frame is dropped per
// pull to shrink it again. A timestamp jump beyond the maximum delay (a talkspurt after silence
// suppression, a restarted sender) resynchronises instead of concealing the whole gap.

import { seqDelta, tsDelta } from '../rtp/seq.ts';

export interface JitterPacket {
  seq: number;
  timestamp: number;
  payloadType: number;
  payload: Buffer;
}

export type JitterInput = { type: 'packet'; packet: JitterPacket; arrivalMs: number } | { type: 'pull'; duration: number };

export type JitterOutput =
  | { type: 'packet'; packet: JitterPacket; duration: number }
  | { type: 'conceal'; duration: number }
  | { type: 'silence'; duration: number };

export interface JitterOptions {
  clockRate: number;
  /** Nominal packet duration in timestamp units (160 for 20 ms at 8 kHz). */
  frameDuration: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxPackets?: number;
}

/** Frames concealed after the stream goes quiet before the buffer declares it stopped. */
const MAX_STALL_TS_FRAMES = 5;

interface Slot {
  ext: number;
  packet: JitterPacket;
}

export class JitterBuffer {
  private readonly buf: Slot[] = [];
  private lastRawTs = 0;
  private lastExt = 0;
  private lastSeq = -1;
  private haveTs = false;
  private playout: number | undefined;
  private jitter = 0;
  private lastTransit: number | undefined;
  private packetDuration: number;
  private underrunRun = 0;
  private readonly stats = { packets: 0, late: 0, duplicates: 0, lost: 0, concealed: 0, dropped: 0, underruns: 0, resyncs: 0, overflow: 0 };

  constructor(private readonly opts: JitterOptions) {
    this.packetDuration = opts.frameDuration;
  }

  private ms(ts: number): number {
    return (ts * 1000) / this.opts.clockRate;
  }

  private ts(ms: number): number {
    return Math.round((ms * this.opts.clockRate) / 1000);
  }

  get targetDelay(): number {
    const t = Math.max(this.ts(this.opts.minDelayMs), 3 * this.jitter + this.opts.frameDuration / 2);
    return Math.min(t, this.ts(this.opts.maxDelayMs));
  }

  /** Queued media beyond the playout point, in timestamp units. */
  get buffered(): number {
    const last = this.buf[this.buf.length - 1];
    if (!last) return 0;
    const start = this.playout ?? this.buf[0]!.ext;
    return last.ext + this.packetDuration - start;
  }

  processInput(input: JitterInput): JitterOutput[] {
    if (input.type === 'packet') {
      this.push(input.packet, input.arrivalMs);
      return [];
    }
    return this.pull(input.duration);
  }

  private unwrap(ts: number): number {
    if (!this.haveTs) {
      this.haveTs = true;
      this.lastRawTs = ts;
      this.lastExt = ts;
      return ts;
    }
    const ext = this.lastExt + tsDelta(this.lastRawTs, ts);
    if (ext > this.lastExt) {
      this.lastExt = ext;
      this.lastRawTs = ts;
    }
    return ext;
  }

  private push(packet: JitterPacket, arrivalMs: number): void {
    this.stats.packets++;
    const ext = this.unwrap(packet.timestamp);
    const transit = this.ts(arrivalMs) - ext;
    if (this.lastTransit !== undefined) {
      const d = Math.abs(transit - this.lastTransit);
      if (d < this.opts.clockRate) this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
    if (this.lastSeq >= 0 && seqDelta(this.lastSeq, packet.seq) === 1) {
      const step = ext - (this.buf[this.buf.length - 1]?.ext ?? ext);
      if (step > 0 && step <= 8 * this.opts.frameDuration) this.packetDuration = step;
    }
    this.lastSeq = packet.seq;
    if (this.playout !== undefined) {
      if (ext < this.playout) {
        this.stats.late++;
        return;
      }
      if (ext - this.playout > this.ts(this.opts.maxDelayMs) + this.opts.frameDuration) this.resync();
    }
    let i = this.buf.length;
    while (i > 0 && this.buf[i - 1]!.ext > ext) i--;
    if (this.buf[i - 1]?.ext === ext) {
      this.stats.duplicates++;
      return;
    }
    this.buf.splice(i, 0, { ext, packet });
    if (this.buf.length > (this.opts.maxPackets ?? 64)) {
      this.buf.shift();
      this.stats.overflow++;
      if (this.playout !== undefined && this.buf[0]) this.playout = Math.max(this.playout, this.buf[0].ext);
    }
  }

  private resync(): void {
    this.stats.resyncs++;
    this.buf.length = 0;
    this.playout = undefined;
    this.underrunRun = 0;
  }

  private pull(duration: number): JitterOutput[] {
    const out: JitterOutput[] = [];
    if (this.playout === undefined) {
      if (!this.buf.length || this.buffered < this.targetDelay) return [{ type: 'silence', duration }];
      this.playout = this.buf[0]!.ext;
    }
    // Shrink toward the target when the delay has grown well past it.
    if (this.buffered > this.targetDelay + 2 * this.packetDuration && this.buf[0]?.ext === this.playout) {
      this.buf.shift();
      this.playout += this.packetDuration;
      this.stats.dropped++;
    }
    let covered = 0;
    for (let guard = 0; covered < duration && guard < 32; guard++) {
      const head = this.buf[0];
      const playout: number | undefined = this.playout;
      if (playout === undefined) break;
      if (head && head.ext <= playout) {
        this.buf.shift();
        const d = this.packetDuration;
        out.push({ type: 'packet', packet: head.packet, duration: d });
        this.playout = head.ext + d;
        covered += d;
        this.underrunRun = 0;
      } else if (head) {
        const d = Math.min(head.ext - playout, this.packetDuration, duration - covered);
        out.push({ type: 'conceal', duration: d });
        this.playout = playout + d;
        covered += d;
        this.stats.lost++;
        this.stats.concealed += d;
      } else {
        const d = duration - covered;
        this.stats.underruns++;
        this.underrunRun += d;
        if (this.underrunRun > Math.min(this.ts(this.opts.maxDelayMs), MAX_STALL_TS_FRAMES * this.opts.frameDuration)) {
          // The sender stopped (hold, silence suppression): stop inventing audio.
          this.playout = undefined;
          this.underrunRun = 0;
          out.push({ type: 'silence', duration: d });
        } else {
          out.push({ type: 'conceal', duration: d });
          this.stats.concealed += d;
        }
        covered += d;
      }
    }
    return out;
  }

  toJSON(): Record<string, number> {
    const { concealed, ...counts } = this.stats;
    return {
      ...counts,
      concealedMs: Math.round(this.ms(concealed)),
      jitterMs: Math.round(this.ms(this.jitter) * 10) / 10,
      targetMs: Math.round(this.ms(this.targetDelay)),
      bufferedMs: Math.round(this.ms(this.buffered)),
    };
  }
}
