// The outgoing RTP stream of a leg. Whoever feeds it (bridge relay or transcoder, mixer, player,
// DTMF) goes through one StreamRewriter so the phone sees a single continuous stream. Sources are
// ranked: while DTMF is being sent nothing else is, and while a prompt plays the bridge and mixer
// are muted toward this leg.

import { createResampler, ticksPer, samplesPer, type CodecFactory, type Encoder } from '../codec-lookup.ts';
import { encodeInto, encodedSize, RTP_FIXED_HEADER, writeHeaderFields, type RtpFields, type RtpHeader } from '../rtp/rtp-packet.ts';
import { StreamRewriter, type RewriteResult } from '../rtp/stream-rewriter.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import type { Clock } from '../util/clock.ts';
import type { RelayGuards } from './relay-guards.ts';
import type { SharedSend, SharedSendOwner } from '../rtp/udp-transport.ts';

export type OutputSource = 'bridge' | 'mixer' | 'player' | 'dtmf';

const RANK: Record<OutputSource, number> = { bridge: 0, mixer: 0, player: 1, dtmf: 2 };

/** Packets we originate are built here: sinks take the bytes before sendRtp returns (RtpSink). */
let scratch = Buffer.alloc(1500);

type Resampler = { process(input: Int16Array): Int16Array; close?(): void };

/** Where packets go (an RtpSocket; a fake in tests). It must be done with the bytes when it returns. */
export interface RtpSink {
  sendRtp(buf: Uint8Array, offset: number, length: number): boolean;
  /** Shared sends (RtpSocket.stageRtp); sinks without it send every packet alone. */
  stageRtp?(batch: SharedSend, owner: SharedSendOwner): number;
}

export class LegSender implements SharedSendOwner {
  readonly rewriter: StreamRewriter;
  private media: NegotiatedMedia | undefined;
  private encoder: Encoder | undefined;
  private encoderCodec: CodecFactory | undefined;
  private readonly resamplers = new Map<number, Resampler>();
  private readonly claims = new Set<OutputSource>();
  private localSeq = 0;
  private localTs = 0;
  private readonly rw: RewriteResult = { seq: 0, ts: 0, marker: false };
  private readonly fields: RtpFields = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0 };
  packets = 0;
  octets = 0;
  dropped = 0;
  lastRtpTs = 0;
  lastSentMs = 0;
  /** Native relay routes into this leg step aside while JavaScript writes its stream (set by the leg). */
  guard: RelayGuards | undefined;

  constructor(
    private readonly socket: RtpSink,
    private readonly clock: Clock,
    private readonly ptimeMs: number,
  ) {
    this.rewriter = new StreamRewriter(8000);
  }

  configure(media: NegotiatedMedia): void {
    this.media = media;
    const codec = media.send?.codec;
    if (codec && codec !== this.encoderCodec) {
      this.encoder?.close?.();
      this.encoder = undefined;
      this.encoderCodec = codec;
      for (const r of this.resamplers.values()) r.close?.();
      this.resamplers.clear();
      this.rewriter.setClockRate(codec.info.clockRate);
    }
  }

  get codec(): CodecFactory | undefined {
    return this.media?.send?.codec;
  }

  get canSend(): boolean {
    return !!this.media?.enabled && this.media.flow.send && !!this.media.send;
  }

  get eventPt(): number | undefined {
    return this.media?.sendEventPt;
  }

  get eventRate(): number {
    return this.media?.sendEventRate ?? 8000;
  }

  claim(source: OutputSource): void {
    this.claims.add(source);
    this.guard?.refresh();
  }

  release(source: OutputSource): void {
    this.claims.delete(source);
    this.guard?.refresh();
  }

  /** A lower-ranked source is silenced while a higher one holds a claim. */
  allowed(source: OutputSource): boolean {
    if (this.claims.size === 0) return true;
    for (const c of this.claims) if (RANK[c] > RANK[source]) return false;
    return true;
  }

  /** Encode one ptime of PCM (at `rate`) with this leg's codec and send it. */
  sendPcm(pcm: Int16Array, rate: number, source: OutputSource): void {
    const codec = this.media?.send?.codec;
    if (!codec || !this.canSend || !this.allowed(source)) return;
    this.encoder ??= codec.createEncoder();
    let frame = pcm;
    if (rate !== codec.info.sampleRate) {
      let r = this.resamplers.get(rate);
      if (!r) this.resamplers.set(rate, (r = createResampler(rate, codec.info.sampleRate)));
      frame = r.process(pcm);
    }
    const want = samplesPer(codec.info, this.ptimeMs);
    if (frame.length !== want) frame = fit(frame, want);
    const payload = this.encoder.encode(frame);
    this.sendLocal(payload, ticksPer(codec.info, this.ptimeMs), source);
  }

  /** Send a payload already encoded with this leg's codec (shared conference encoding). */
  sendLocal(payload: Buffer, durationTicks: number, source: OutputSource, pt = this.media?.send?.pt): void {
    if (pt === undefined || !this.canSend || !this.allowed(source)) return;
    // An empty payload is DTX: the frame's time passes without a packet.
    if (payload.length) this.sendLocalAt(payload, pt, this.localTs, false);
    this.localTs = (this.localTs + durationTicks) >>> 0;
  }

  /**
   * sendLocal for a payload many legs share (the conference mix): the header is written into
   * `batch` and the datagram goes out when the batch is flushed with the payload. False when this
   * leg cannot take part (then sendLocal it).
   */
  stageLocal(batch: SharedSend, payloadLength: number, durationTicks: number, source: OutputSource): boolean {
    const pt = this.media?.send?.pt;
    if (pt === undefined || !this.canSend || !this.allowed(source)) return true;
    if (!this.socket.stageRtp) return false;
    if (payloadLength > 0) {
      const i = this.socket.stageRtp(batch, this);
      if (i === -1) return false;
      const g = this.guard;
      g?.enter();
      try {
        const now = this.clock.now();
        const rw = this.rewriter.rewrite('local', 0, this.localSeq, this.localTs, false, now, this.rw);
        this.localSeq = (this.localSeq + 1) & 0xffff;
        if (i >= 0) {
          const heads = batch.heads;
          const off = i * RTP_FIXED_HEADER;
          heads[off] = 0x80;
          writeHeaderFields(heads, off, rw.marker, pt, rw.seq, rw.ts, this.rewriter.ssrc);
          // Counted as sent now; a failure at flush takes it back (unsent).
          this.packets++;
          this.octets += payloadLength;
          this.lastRtpTs = rw.ts;
          this.lastSentMs = now;
        }
      } finally {
        g?.exit();
      }
    }
    this.localTs = (this.localTs + durationTicks) >>> 0;
    return true;
  }

  unsent(payloadBytes: number): void {
    this.packets--;
    this.octets -= payloadBytes;
  }

  /** Send one packet on the local timeline at timestamp `ts` (RFC 4733 events repeat a timestamp). */
  sendLocalAt(payload: Uint8Array, pt: number, ts: number, marker: boolean): void {
    const g = this.guard;
    if (!g) return this.sendLocalNow(payload, pt, ts, marker);
    g.enter();
    try {
      this.sendLocalNow(payload, pt, ts, marker);
    } finally {
      g.exit();
    }
  }

  private sendLocalNow(payload: Uint8Array, pt: number, ts: number, marker: boolean): void {
    const now = this.clock.now();
    this.rewriter.rewrite('local', 0, this.localSeq, ts, marker, now, this.rw);
    this.localSeq = (this.localSeq + 1) & 0xffff;
    const size = encodedSize(payload.length);
    if (scratch.length < size) scratch = Buffer.alloc(size);
    const h = this.fields;
    h.marker = this.rw.marker;
    h.payloadType = pt;
    h.sequenceNumber = this.rw.seq;
    h.timestamp = this.rw.ts;
    h.ssrc = this.rewriter.ssrc;
    encodeInto(scratch, 0, h, payload);
    this.transmit(scratch, 0, size, this.rw.ts, payload.length, now);
  }

  get localTimestamp(): number {
    return this.localTs;
  }

  advanceLocal(ticks: number): void {
    this.localTs = (this.localTs + ticks) >>> 0;
  }

  /**
   * Forward a packet received on another leg (at `buf[offset]`): rewrite its header in place
   * (payload type, SSRC, sequence, timestamp) and send the same bytes. Nothing is allocated.
   */
  relay(buf: Uint8Array, offset: number, h: RtpHeader, pt: number, sourceKey: string): void {
    const g = this.guard;
    if (!g) return this.relayNow(buf, offset, h, pt, sourceKey);
    g.enter();
    try {
      this.relayNow(buf, offset, h, pt, sourceKey);
    } finally {
      g.exit();
    }
  }

  private relayNow(buf: Uint8Array, offset: number, h: RtpHeader, pt: number, sourceKey: string): void {
    if (!this.canSend || !this.allowed('bridge')) {
      this.dropped++;
      return;
    }
    const now = this.clock.now();
    const rw = this.rewriter.rewrite(sourceKey, h.ssrc, h.sequenceNumber, h.timestamp, h.marker, now, this.rw);
    // Our fixed header replaces theirs, ending where theirs ended; CSRCs, extensions and padding of the
    // other call leg are not ours to forward.
    const off = offset + h.headerLength - RTP_FIXED_HEADER;
    buf[off] = 0x80;
    writeHeaderFields(buf, off, rw.marker, pt, rw.seq, rw.ts, this.rewriter.ssrc);
    this.transmit(buf, off, RTP_FIXED_HEADER + h.payloadLength, rw.ts, h.payloadLength, now);
  }

  private transmit(buf: Uint8Array, off: number, len: number, ts: number, payloadBytes: number, now: number): void {
    if (this.socket.sendRtp(buf, off, len)) {
      this.packets++;
      this.octets += payloadBytes;
      this.lastRtpTs = ts;
      this.lastSentMs = now;
    }
  }

  close(): void {
    this.encoder?.close?.();
    this.encoder = undefined;
    for (const r of this.resamplers.values()) r.close?.();
    this.resamplers.clear();
  }
}

/** Pad with zeros or cut to exactly `n` samples (a resampler may be off by one on a frame). */
function fit(pcm: Int16Array, n: number): Int16Array {
  const out = new Int16Array(n);
  out.set(pcm.subarray(0, n));
  return out;
}
