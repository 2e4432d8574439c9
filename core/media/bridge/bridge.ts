// Two legs joined back to back. Per direction: when the sender's codec is the receiver's codec,
// packets are relayed with only the header rewritten (pass-through); otherwise the source leg's
// decoded audio is re-encoded for the other (transcoding). RFC 4733 events are relayed when both
// sides negotiated telephone-event, and regenerated as in-band tones when the far side did not.

import type { Leg } from '../leg/leg.ts';
import type { RtpHeader } from '../rtp/rtp-packet.ts';
import { FastRelay } from './fast-relay.ts';

export type DirectionMode = 'relay' | 'transcode' | 'idle';

class BridgeDirection {
  private readonly sourceKey: string;
  private untap: (() => void) | undefined;
  private offDigit: (() => void) | undefined;
  /** The addon's relay for this direction while it is pass-through (native UDP layer only). */
  private fast: FastRelay | undefined;
  mode: DirectionMode = 'idle';
  relayed = 0;

  constructor(
    private readonly from: Leg,
    private readonly to: Leg,
  ) {
    this.sourceKey = `bridge:${from.id}`;
  }

  wire(): void {
    this.unwire();
    const from = this.from;
    const to = this.to;
    const fromCodec = from.codec;
    const toCodec = to.codec;
    if (!fromCodec || !toCodec) return;
    from.receiver.relay = this.relayAudio;
    from.receiver.relayEvent = this.relayEvent;
    this.mode = fromCodec === toCodec ? 'relay' : 'transcode';
    if (this.mode === 'transcode') this.startTranscoding();
    else this.fast = FastRelay.open(from, to, this.sourceKey, this.relayAudio, (n) => (this.relayed += n));
    if (to.sender.eventPt === undefined) {
      this.offDigit = from.digit.on((d) => {
        if (d.source === 'rfc4733') void to.sendDigits(d.digit, Math.max(60, d.durationMs), 40, 'inband').catch(() => undefined);
      });
    }
  }

  /** Decode `from` and re-encode for `to`; skipped for packets that were relayed as they are. */
  private startTranscoding(): void {
    if (this.untap) return;
    const from = this.from;
    const to = this.to;
    this.untap = from.addTap((pcm, rate) => {
      if (pcm && !from.receiver.lastPacketRelayed) to.sender.sendPcm(pcm, rate, 'bridge');
    });
  }

  private readonly relayAudio = (buf: Uint8Array, off: number, h: RtpHeader, codec: unknown): boolean => {
    const send = this.to.media.send;
    if (!send) return false;
    if (send.codec !== codec) {
      // The remote switched to another of the negotiated codecs: transcode from now on (the decoder
      // costs nothing while packets still match and are relayed).
      this.startTranscoding();
      return false;
    }
    this.to.sender.relay(buf, off, h, send.pt, this.sourceKey);
    this.relayed++;
    return true;
  };

  private readonly relayEvent = (buf: Uint8Array, off: number, h: RtpHeader): void => {
    const pt = this.to.sender.eventPt;
    if (pt !== undefined) this.to.sender.relay(buf, off, h, pt, this.sourceKey);
  };

  unwire(): void {
    this.fast?.close();
    this.fast = undefined;
    if (this.from.receiver.relay === this.relayAudio) this.from.receiver.relay = undefined;
    if (this.from.receiver.relayEvent === this.relayEvent) this.from.receiver.relayEvent = undefined;
    this.untap?.();
    this.untap = undefined;
    this.offDigit?.();
    this.offDigit = undefined;
    this.mode = 'idle';
  }
}

/** Two legs back to back; with a === b an echo (what the leg receives goes back to it, the echo test). */
export class Bridge {
  private readonly ab: BridgeDirection;
  private readonly ba: BridgeDirection | undefined;
  private readonly offs: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly a: Leg,
    readonly b: Leg,
  ) {
    this.ab = new BridgeDirection(a, b);
    this.ba = a === b ? undefined : new BridgeDirection(b, a);
  }

  start(): void {
    const rewire = (): void => {
      this.ab.wire();
      this.ba?.wire();
    };
    // A re-INVITE on either side can change codecs: decide pass-through again.
    this.offs.push(this.a.mediaChanged.on(rewire));
    if (this.b !== this.a) this.offs.push(this.b.mediaChanged.on(rewire));
    rewire();
  }

  get modes(): { ab: DirectionMode; ba: DirectionMode } {
    return { ab: this.ab.mode, ba: this.ba?.mode ?? this.ab.mode };
  }

  has(leg: Leg): boolean {
    return leg === this.a || leg === this.b;
  }

  destroy(): void {
    for (const off of this.offs) off();
    this.offs.length = 0;
    this.ab.unwire();
    this.ba?.unwire();
  }
}
