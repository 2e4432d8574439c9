// One direction of a pass-through bridge relayed by the addon (native/src/relay-route.h): packets
// of the source leg's latched peer, with the codec the destination leg sends, are rewritten and sent
// on without reaching JavaScript. JavaScript keeps every decision and every other packet: the route
// is armed only while the direction is a plain relay (no decoding for taps or in-band DTMF, the
// destination may send and nothing of higher rank holds it, the latch has settled, and the
// destination's stream already continues this source). The first packet of a stream, a new SSRC, a
// sequence jump, RFC 4733 events, another payload type and packets from strangers stay in
// JavaScript, which handles them with the full logic while the route steps aside (RelayGuards), and
// the route re-arms with the new state afterwards. Stats, latching, the RTP timeout and RTCP read
// the route's counters at housekeeping (sync), so they see what they would have seen per packet.

import type { Leg } from '../leg/leg.ts';
import type { RelayParticipant } from '../leg/relay-guards.ts';
import type { RelayHook } from '../leg/leg-receiver.ts';
import { RelayWord, type RelayRoute } from '../rtp/relay-record.ts';

export class FastRelay implements RelayParticipant {
  private depth = 0;
  private closed = false;

  private constructor(
    private readonly route: RelayRoute,
    private readonly from: Leg,
    private readonly to: Leg,
    private readonly sourceKey: string,
    private readonly hook: RelayHook,
    private readonly onRelayed: (packets: number) => void,
  ) {
    from.relays.add(this);
    to.relays.add(this);
    this.arm();
  }

  /** A route for from → to, or undefined when the UDP layer has none (dgram) or a socket is gone. */
  static open(from: Leg, to: Leg, sourceKey: string, hook: RelayHook, onRelayed: (packets: number) => void): FastRelay | undefined {
    const route = from.rtp.rtpPort.relayTo?.(to.rtp.rtpPort);
    return route ? new FastRelay(route, from, to, sourceKey, hook, onRelayed) : undefined;
  }

  suspend(): void {
    if (this.depth++ > 0 || !this.route.armed) return;
    this.route.armed = false;
    this.pull();
  }

  resume(): void {
    if (this.depth > 0) this.depth--;
    if (this.depth === 0) this.arm();
  }

  sync(): void {
    if (this.route.armed) this.pull();
  }

  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    this.route.close();
    this.from.relays.delete(this);
    this.to.relays.delete(this);
  }

  /** Everything JavaScript would check per packet on this path, checked once. */
  private mayArm(): boolean {
    const { from, to } = this;
    const rx = from.receiver;
    const tx = to.sender;
    const m = from.media;
    return (
      !this.closed &&
      !from.isClosed &&
      !to.isClosed &&
      rx.relay === this.hook &&
      !rx.decoding &&
      m.enabled &&
      m.flow.recv &&
      to.media.send !== undefined &&
      tx.canSend &&
      tx.allowed('bridge') &&
      rx.stats.isStarted &&
      tx.rewriter.continues(this.sourceKey, rx.stats.ssrc) &&
      from.rtp.latchSettled
    );
  }

  private arm(): void {
    if (this.depth > 0 || this.route.armed || !this.mayArm()) return;
    const r = this.route;
    const send = this.to.media.send!;
    r.setClock(this.from.now());
    r.set(RelayWord.RtcpMux, this.from.rtp.rtcpMuxed ? 1 : 0);
    this.from.receiver.fillRelayPtMap(r.ptMap, send.codec, send.pt);
    this.from.receiver.stats.saveTo(r);
    this.to.sender.rewriter.saveTo(r);
    for (const w of [RelayWord.TxPackets, RelayWord.TxOctets, RelayWord.TxErrors, RelayWord.RxPackets]) r.set(w, 0);
    r.armed = true;
  }

  /** Fold the route's per-packet work into the legs, as if JavaScript had done it. */
  private pull(): void {
    const r = this.route;
    const { from, to } = this;
    const rx = r.get(RelayWord.RxPackets);
    if (rx > 0) {
      const last = r.get(RelayWord.RxLastMs);
      from.receiver.lastRtpMs = last;
      from.markReceived();
      from.rtp.touchLatch(last);
      this.onRelayed(rx);
      r.set(RelayWord.RxPackets, 0);
    }
    from.receiver.stats.loadFrom(r);
    to.sender.rewriter.loadFrom(r);
    const tx = r.get(RelayWord.TxPackets);
    if (tx > 0) {
      const s = to.sender;
      s.packets += tx;
      s.octets += r.get(RelayWord.TxOctets);
      s.lastRtpTs = r.get(RelayWord.TxLastTs);
      s.lastSentMs = r.get(RelayWord.TxLastMs);
      r.set(RelayWord.TxPackets, 0);
      r.set(RelayWord.TxOctets, 0);
    }
    const errors = r.get(RelayWord.TxErrors);
    if (errors > 0) {
      to.rtp.addRelaySendErrors(errors);
      r.set(RelayWord.TxErrors, 0);
    }
  }
}
