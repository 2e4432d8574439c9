// The incoming RTP path of a leg: header decode into one reused struct, receive statistics,
// RFC 4733 events, then either relay to the bridged leg (pass-through) or the decode stage.

import type { CodecFactory } from '../codec-lookup.ts';
import { DtmfReceiver, type DtmfDigit } from '../dtmf/dtmf-receiver.ts';
import { ReceiveStats } from '../rtp/receive-stats.ts';
import { decodeRtpHeader, RtpHeader } from '../rtp/rtp-packet.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { RELAY_TO_JS } from '../rtp/relay-record.ts';
import { DecodeStage, type DecodeOptions } from './decode-stage.ts';
import type { LevelGate } from './level-gate.ts';

/** Returns true when the packet was forwarded as is. The packet starts at `buf[offset]`. */
export type RelayHook = (buf: Uint8Array, offset: number, h: RtpHeader, codec: CodecFactory) => boolean;
export type EventRelayHook = (buf: Uint8Array, offset: number, h: RtpHeader) => void;

export interface ReceiverDelegate {
  onDigit(d: DtmfDigit): void;
}

export class LegReceiver {
  private readonly header = new RtpHeader();
  private byPt = new Map<number, CodecFactory>();
  /** The same two lookups by payload type as flat arrays: the per-packet path indexes, never hashes. */
  private codecOfPt: (CodecFactory | undefined)[] = new Array<CodecFactory | undefined>(128).fill(undefined);
  private isEventPt = new Uint8Array(128);
  private media: NegotiatedMedia | undefined;
  readonly stats = new ReceiveStats(8000);
  readonly decoder: DecodeStage;
  private readonly dtmfRx = new DtmfReceiver(8000);
  relay: RelayHook | undefined;
  relayEvent: EventRelayHook | undefined;
  /** Feed the decode stage (someone consumes this leg's audio as PCM). */
  decoding = false;
  /** While set, only packets the gate admits are decoded (every consumer wants talk only). */
  gate: LevelGate | undefined;
  lastRtpMs = -1;
  malformed = 0;
  unknownPt = 0;
  ignored = 0;

  constructor(
    decodeOpts: DecodeOptions,
    private readonly delegate: ReceiverDelegate,
  ) {
    this.decoder = new DecodeStage(decodeOpts);
  }

  configure(media: NegotiatedMedia): void {
    this.media = media;
    this.byPt = new Map(media.recv.map((b) => [b.pt, b.codec]));
    this.codecOfPt = new Array<CodecFactory | undefined>(128).fill(undefined);
    for (const b of media.recv) this.codecOfPt[b.pt & 0x7f] = b.codec;
    this.isEventPt = new Uint8Array(128);
    for (const pt of media.recvEventPts) this.isEventPt[pt & 0x7f] = 1;
    const main = media.send?.codec ?? media.recv[0]?.codec;
    if (main) {
      this.decoder.configure(main, this.byPt);
      this.stats.setClockRate(main.info.clockRate);
      this.dtmfRx.setClockRate(media.sendEventRate);
    }
  }

  /** One packet at `buf[offset]`, lent for this call only: whatever is kept is copied. */
  onRtp(buf: Uint8Array, offset: number, length: number, nowMs: number): void {
    const h = this.header;
    if (!decodeRtpHeader(buf, length, h, offset)) {
      this.malformed++;
      return;
    }
    this.lastRtpMs = nowMs;
    this.stats.update(h.ssrc, h.sequenceNumber, h.timestamp, h.payloadLength, nowMs);
    // A leg we hold (we answered recvonly/inactive... or sendonly) still latches but plays nothing.
    if (!this.media?.enabled || !this.media.flow.recv) {
      this.ignored++;
      return;
    }
    if (this.isEventPt[h.payloadType] === 1) {
      const start = offset + h.headerLength;
      for (const d of this.dtmfRx.onPacket(h.timestamp, buf.subarray(start, start + h.payloadLength), nowMs)) this.delegate.onDigit(d);
      this.relayEvent?.(buf, offset, h);
      return;
    }
    const codec = this.codecOfPt[h.payloadType];
    if (!codec) {
      this.unknownPt++;
      return;
    }
    this.lastPacketRelayed = this.relay?.(buf, offset, h, codec) ?? false;
    if (!this.decoding) return;
    const start = offset + h.headerLength;
    if (this.gate && !this.gate.admit(codec, buf, start, h.payloadLength, nowMs)) return;
    this.decoder.push(h.sequenceNumber, h.timestamp, h.payloadType, buf, start, h.payloadLength, nowMs);
  }

  /** The last audio packet went out as is; a transcoder must not send the same audio again. */
  lastPacketRelayed = false;

  /**
   * Fill a native relay's payload-type map: audio PTs of `codec` go out as `outPt`; everything else
   * (events, other codecs, unknown PTs) is left to this receiver (RELAY_TO_JS).
   */
  fillRelayPtMap(map: Uint8Array, codec: CodecFactory, outPt: number): void {
    for (let pt = 0; pt < 128; pt++) map[pt] = this.isEventPt[pt] === 0 && this.codecOfPt[pt] === codec ? outPt & 0x7f : RELAY_TO_JS;
  }

  /** Called each tick: report an event whose End packets never came. */
  pollDtmf(nowMs: number): void {
    const d = this.dtmfRx.poll(nowMs);
    if (d) this.delegate.onDigit(d);
  }

  close(): void {
    this.relay = undefined;
    this.relayEvent = undefined;
    this.decoder.close();
  }
}
