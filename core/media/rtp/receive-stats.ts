// Receiver-side statistics of one RTP source (RFC 3550 Appendix A.1 sequence tracking, A.3 loss,
// A.8 interarrival jitter). Pure: the caller passes arrival times in milliseconds.

import { seqDelta } from './seq.ts';
import type { ReportBlock } from './rtcp.ts';
import { RelayWord, type RelayRecord } from './relay-record.ts';

const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceiveStats {
  ssrc = 0;
  packets = 0;
  octets = 0;
  private started = false;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private lastTransit = 0;
  /** Interarrival jitter in timestamp units, scaled by 16 as in A.8. */
  private jitterQ4 = 0;
  lastSrMiddle = 0;
  lastSrArrivalMs = 0;

  constructor(private clockRate: number) {}

  setClockRate(rate: number): void {
    this.clockRate = rate;
  }

  /** Account one packet; `clockRate` is that packet's timestamp rate. */
  update(ssrc: number, seq: number, timestamp: number, payloadBytes: number, arrivalMs: number): void {
    if (!this.started || ssrc !== this.ssrc) this.reset(ssrc, seq);
    this.packets++;
    this.octets += payloadBytes;
    const delta = seqDelta(this.maxSeq, seq);
    if (delta > 0 && delta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += 0x10000;
      this.maxSeq = seq;
    } else if (delta <= -MAX_MISORDER || delta >= MAX_DROPOUT) {
      // A jump this large means the sender restarted its sequence; start counting afresh.
      this.reset(ssrc, seq);
      this.packets = 1;
      this.octets = payloadBytes;
    }
    const arrivalTs = (arrivalMs * this.clockRate) / 1000;
    const transit = arrivalTs - timestamp;
    if (this.packets > 1) {
      let d = transit - this.lastTransit;
      if (d < 0) d = -d;
      // Timestamp jumps (new talkspurt after silence, wrap) are not jitter.
      if (d < this.clockRate) this.jitterQ4 += d - (this.jitterQ4 + 8) / 16;
    }
    this.lastTransit = transit;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Hand the per-packet state to a native relay route, which then updates it (bridge/fast-relay.ts). */
  saveTo(r: RelayRecord): void {
    r.set(RelayWord.StSsrc, this.ssrc);
    r.set(RelayWord.StPackets, this.packets);
    r.set(RelayWord.StOctets, this.octets);
    r.set(RelayWord.StMaxSeq, this.maxSeq);
    r.set(RelayWord.StCycles, this.cycles);
    r.set(RelayWord.StLastTransit, this.lastTransit);
    r.set(RelayWord.StJitterQ4, this.jitterQ4);
    r.set(RelayWord.StClockRate, this.clockRate);
  }

  /** Take back what the route updated (the SSRC and clock rate are not its to change). */
  loadFrom(r: RelayRecord): void {
    this.packets = r.get(RelayWord.StPackets);
    this.octets = r.get(RelayWord.StOctets);
    this.maxSeq = r.get(RelayWord.StMaxSeq);
    this.cycles = r.get(RelayWord.StCycles);
    this.lastTransit = r.get(RelayWord.StLastTransit);
    this.jitterQ4 = r.get(RelayWord.StJitterQ4);
  }

  private reset(ssrc: number, seq: number): void {
    this.started = true;
    this.ssrc = ssrc;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.cycles = 0;
    this.packets = 0;
    this.octets = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.jitterQ4 = 0;
  }

  get extendedMaxSeq(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.started ? this.extendedMaxSeq - this.baseSeq + 1 : 0;
  }

  get lost(): number {
    return this.expected - this.packets;
  }

  /** Jitter in timestamp units (what RTCP carries). */
  get jitter(): number {
    return Math.round(this.jitterQ4 / 16);
  }

  get jitterMs(): number {
    return (this.jitter * 1000) / this.clockRate;
  }

  /** Build a report block and start a new reporting interval. */
  reportBlock(nowMs: number): ReportBlock | undefined {
    if (!this.started) return undefined;
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packets - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packets;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fraction),
      cumulativeLost: this.lost,
      extendedHighestSeq: this.extendedMaxSeq >>> 0,
      jitter: this.jitter,
      lastSr: this.lastSrMiddle,
      delaySinceLastSr: this.lastSrMiddle ? Math.round(((nowMs - this.lastSrArrivalMs) / 1000) * 65536) : 0,
    };
  }
}
