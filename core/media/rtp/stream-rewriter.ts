// One outgoing RTP stream per leg, whatever feeds it: relayed packets from a bridged leg (whose SSRC
// changes when that leg re-INVITEs or is swapped), the player, the mixer or the DTMF sender.
// The far end must see one SSRC with continuous sequence numbers and a timestamp that advances
// with real time, so each switch of source re-bases the offsets and sets the marker bit.

import { randomU16, randomU32, seqDelta, tsDelta } from './seq.ts';
import { RelayWord, type RelayRecord } from './relay-record.ts';

export interface RewriteResult {
  seq: number;
  ts: number;
  marker: boolean;
}

/** Jumps this large within one source mean the sender restarted its stream. */
const SEQ_RESTART = 3000;

export class StreamRewriter {
  readonly ssrc: number;
  private started = false;
  private lastSeq: number;
  private lastTs: number;
  private lastAtMs = 0;
  private sourceKey: string | undefined;
  private sourceSsrc = -1;
  private sourceLastSeq = 0;
  private seqOffset = 0;
  private tsOffset = 0;
  switches = 0;

  constructor(
    private clockRate: number,
    ssrc = randomU32(),
  ) {
    this.ssrc = ssrc;
    this.lastSeq = randomU16();
    this.lastTs = randomU32();
  }

  setClockRate(rate: number): void {
    this.clockRate = rate;
  }

  get outputSeq(): number {
    return this.lastSeq;
  }

  get outputTs(): number {
    return this.lastTs;
  }

  /**
   * Map one packet of `source` (a stable string per feeder, plus the SSRC it currently sends with)
   * onto the output stream; writes into `out` so the relay path allocates nothing.
   */
  rewrite(source: string, ssrc: number, inSeq: number, inTs: number, marker: boolean, nowMs: number, out: RewriteResult): RewriteResult {
    let switched = source !== this.sourceKey || ssrc !== this.sourceSsrc;
    if (!switched && Math.abs(seqDelta(this.sourceLastSeq, inSeq)) > SEQ_RESTART) switched = true;
    if (switched) {
      this.rebase(source, inSeq, inTs, nowMs);
      this.sourceSsrc = ssrc;
    }
    const seq = (inSeq + this.seqOffset) & 0xffff;
    const ts = (inTs + this.tsOffset) >>> 0;
    if (!this.started || seqDelta(this.lastSeq, seq) > 0) {
      this.lastSeq = seq;
      this.sourceLastSeq = inSeq;
    }
    if (!this.started || tsDelta(this.lastTs, ts) > 0) this.lastTs = ts;
    this.started = true;
    this.lastAtMs = nowMs;
    out.seq = seq;
    out.ts = ts;
    out.marker = marker || switched;
    return out;
  }

  /** Packets of `source` with `ssrc` continue the current stream (rewrite() would not rebase). */
  continues(source: string, ssrc: number): boolean {
    return this.started && source === this.sourceKey && ssrc === this.sourceSsrc;
  }

  /** Hand the state of a continuing stream to a native relay route (bridge/fast-relay.ts). */
  saveTo(r: RelayRecord): void {
    r.set(RelayWord.SrcSsrc, this.sourceSsrc >>> 0);
    r.set(RelayWord.SrcLastSeq, this.sourceLastSeq & 0xffff);
    r.set(RelayWord.SeqOffset, this.seqOffset & 0xffff);
    r.set(RelayWord.TsOffset, this.tsOffset >>> 0);
    r.set(RelayWord.OutLastSeq, this.lastSeq & 0xffff);
    r.set(RelayWord.OutLastTs, this.lastTs >>> 0);
    r.set(RelayWord.OutSsrc, this.ssrc >>> 0);
    r.set(RelayWord.OutLastAt, this.lastAtMs);
  }

  /** Take back what the route advanced (offsets and source stay as they were). */
  loadFrom(r: RelayRecord): void {
    this.sourceLastSeq = r.get(RelayWord.SrcLastSeq);
    this.lastSeq = r.get(RelayWord.OutLastSeq);
    this.lastTs = r.get(RelayWord.OutLastTs);
    this.lastAtMs = r.get(RelayWord.OutLastAt);
  }

  private rebase(source: string, inSeq: number, inTs: number, nowMs: number): void {
    const elapsedMs = this.started ? Math.max(0, nowMs - this.lastAtMs) : 0;
    // At least one 20 ms frame forward, so the new source never reuses the last timestamp.
    const elapsedTs = Math.max(Math.round((elapsedMs * this.clockRate) / 1000), (this.clockRate / 50) | 0);
    const firstSeq = (this.lastSeq + 1) & 0xffff;
    const firstTs = this.started ? (this.lastTs + elapsedTs) >>> 0 : this.lastTs;
    this.seqOffset = (firstSeq - inSeq) & 0xffff;
    this.tsOffset = (firstTs - inTs) >>> 0;
    this.sourceKey = source;
    this.sourceLastSeq = inSeq;
    this.switches++;
  }
}
