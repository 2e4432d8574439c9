// The incoming RTP path of a leg: header decode into one reused struct, receive statistics,
// RFC 4733 events, then either relay to the bridged leg (pass-through) or the decode stage.

import type { CodecFactory } from '../codec-lookup.ts';
import { DtmfReceiver, type DtmfDigit } from '../dtmf/dtmf-receiver.ts';
import { ReceiveStats } from '../rtp/receive-stats.ts';
import { decodeRtpHeader, RtpHeader } from '../rtp/rtp-packet.ts';
import type { NegotiatedMedia } from '../sdp/negotiated-media.ts';
import { DecodeStage, type DecodeOptions } from './decode-stage.ts';

/** Returns true when the packet was forwarded as is. */
export type RelayHook = (buf: Buffer, h: RtpHeader, codec: CodecFactory) => boolean;
export type EventRelayHook = (buf: Buffer, h: RtpHeader) => void;

export interface ReceiverDelegate {
  onDigit(d: DtmfDigit): void;
}

export class LegReceiver {
  private readonly header = new RtpHeader();
  private byPt = new Map<number, CodecFactory>();
  private eventPts = new Set<number>();
  private media: NegotiatedMedia | undefined;
  readonly stats = new ReceiveStats(8000);
  readonly decoder: DecodeStage;
  private readonly dtmfRx = new DtmfReceiver(8000);
  relay: RelayHook | undefined;
  relayEvent: EventRelayHook | undefined;
  /** Feed the decode stage (someone consumes this leg's audio as PCM). */
  decoding = false;
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
    this.eventPts = new Set(media.recvEventPts);
    const main = media.send?.codec ?? media.recv[0]?.codec;
    if (main) {
      this.decoder.configure(main, this.byPt);
      this.stats.setClockRate(main.info.clockRate);
      this.dtmfRx.setClockRate(media.sendEventRate);
    }
  }

  onRtp(buf: Buffer, nowMs: number): void {
    const h = this.header;
    if (!decodeRtpHeader(buf, buf.length, h)) {
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
    if (this.eventPts.has(h.payloadType)) {
      const payload = buf.subarray(h.headerLength, h.headerLength + h.payloadLength);
      for (const d of this.dtmfRx.onPacket(h.timestamp, payload, nowMs)) this.delegate.onDigit(d);
      this.relayEvent?.(buf, h);
      return;
    }
    const codec = this.byPt.get(h.payloadType);
    if (!codec) {
      this.unknownPt++;
      return;
    }
    this.lastPacketRelayed = this.relay?.(buf, h, codec) ?? false;
    if (this.decoding) {
      this.decoder.push(h.sequenceNumber, h.timestamp, h.payloadType, buf.subarray(h.headerLength, h.headerLength + h.payloadLength), nowMs);
    }
  }

  /** The last audio packet went out as is; a transcoder must not send the same audio again. */
  lastPacketRelayed = false;

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
