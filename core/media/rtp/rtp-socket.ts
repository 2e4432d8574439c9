// The UDP side of a leg: an RTP and an RTCP socket (or one with rtcp-mux), the remote address from
// SDP, and latching to the real source. Packet handling is delegated to the leg.
// Datagrams are lent (valid only during the delegate call). The UDP port's peer is kept equal to
// where RTP goes, so a packet from the latched source is recognised by a flag, not by comparing
// address strings; only the first packet and strangers take the slow path through the latch.

import type { RelayGuards } from '../leg/relay-guards.ts';
import { Latch, type Endpoint } from './latch.ts';
import { looksLikeRtcp } from './rtp-packet.ts';
import type { PortAllocator, SocketPair } from './port-allocator.ts';
import type { SharedSend, SharedSendOwner, UdpPort } from './udp-transport.ts';
import type { Clock } from '../util/clock.ts';

export interface RtpSocketDelegate {
  onRtp(buf: Uint8Array, offset: number, length: number): void;
  onRtcp(buf: Uint8Array, offset: number, length: number): void;
}

export interface RtpSocketOptions {
  latching: boolean;
  relatchAfterMs: number;
  clock: Clock;
}

export class RtpSocket {
  private remote: Endpoint | undefined;
  private remoteRtcp: Endpoint | undefined;
  private rtcpMux = false;
  private readonly rtpLatch: Latch;
  private readonly rtcpLatch: Latch;
  /** What the RTP port's peer is set to (identity compared: the latch makes a new object per latch). */
  private rtpPeer: Endpoint | undefined;
  private closed = false;
  /** Native relay routes through this port step aside while JavaScript handles one of its packets. */
  guard: RelayGuards | undefined;
  /** Send failures of natively relayed packets, folded in by the route. */
  private relaySendErrors = 0;
  delegate: RtpSocketDelegate | undefined;

  private constructor(
    private readonly pair: SocketPair,
    private readonly allocator: PortAllocator,
    private readonly opts: RtpSocketOptions,
  ) {
    this.rtpLatch = new Latch(opts.latching, opts.relatchAfterMs);
    this.rtcpLatch = new Latch(opts.latching, opts.relatchAfterMs);
    pair.rtp.onDatagram = (buf, off, len, fromPeer) => {
      const g = this.guard;
      if (!g) return this.onRtpDatagram(buf, off, len, fromPeer);
      g.enter();
      try {
        this.onRtpDatagram(buf, off, len, fromPeer);
      } finally {
        g.exit();
      }
    };
    pair.rtcp.onDatagram = (buf, off, len) => {
      const from = pair.rtcp.source();
      if (this.rtcpLatch.accept(from.address, from.port, opts.clock.now())) this.delegate?.onRtcp(buf, off, len);
    };
  }

  static async open(allocator: PortAllocator, opts: RtpSocketOptions): Promise<RtpSocket> {
    return new RtpSocket(await allocator.allocate(), allocator, opts);
  }

  get port(): number {
    return this.pair.port;
  }

  get latchedTo(): Endpoint | undefined {
    return this.rtpLatch.current;
  }

  get rejectedPackets(): number {
    return this.rtpLatch.rejected;
  }

  get sendErrors(): number {
    return this.pair.rtp.sendErrors + this.pair.rtcp.sendErrors + this.relaySendErrors;
  }

  /** The RTP port itself (the native relay routes between two of them). */
  get rtpPort(): UdpPort {
    return this.pair.rtp;
  }

  get rtcpMuxed(): boolean {
    return this.rtcpMux;
  }

  /**
   * Packets from the port's peer may skip the latch: it has latched (or latching is off, and the
   * peer is the SDP address). Until then every packet must go through accept().
   */
  get latchSettled(): boolean {
    return !this.rtpLatch.enabled || this.rtpLatch.current !== undefined;
  }

  /** The latched source was heard from (by the native relay) at `ms`. */
  touchLatch(ms: number): void {
    if (this.rtpLatch.current !== undefined) this.rtpLatch.touch(ms);
  }

  addRelaySendErrors(n: number): void {
    this.relaySendErrors += n;
  }

  /** Where media goes now: the latched source if any, else the SDP address. */
  get sendTarget(): Endpoint | undefined {
    return this.rtpLatch.current ?? this.remote;
  }

  /** Set the SDP address; a changed address drops the latch so the new one can be learned. */
  setRemote(remote: Endpoint | undefined, rtcpPort: number | undefined, rtcpMux: boolean): void {
    const changed = remote?.address !== this.remote?.address || remote?.port !== this.remote?.port;
    this.remote = remote;
    this.rtcpMux = rtcpMux;
    this.remoteRtcp = remote ? { address: remote.address, port: rtcpMux ? remote.port : (rtcpPort ?? remote.port + 1) } : undefined;
    if (changed) {
      this.rtpLatch.reset();
      this.rtcpLatch.reset();
    }
    this.syncPeer();
  }

  private syncPeer(): void {
    const target = this.sendTarget;
    if (target === this.rtpPeer || this.closed) return;
    this.rtpPeer = target;
    this.pair.rtp.setPeer(target && target.port !== 0 ? target : undefined);
  }

  private onRtpDatagram(buf: Uint8Array, off: number, len: number, fromPeer: boolean): void {
    if (this.rtcpMux && looksLikeRtcp(buf, len, off)) {
      const from = this.pair.rtp.source();
      if (this.rtcpLatch.accept(from.address, from.port, this.opts.clock.now())) this.delegate?.onRtcp(buf, off, len);
      return;
    }
    const latch = this.rtpLatch;
    if (fromPeer && latch.current !== undefined) latch.touch(this.opts.clock.now());
    else if (latch.enabled) {
      const from = this.pair.rtp.source();
      if (!latch.accept(from.address, from.port, this.opts.clock.now())) return;
      this.syncPeer();
    }
    this.delegate?.onRtp(buf, off, len);
  }

  sendRtp(buf: Uint8Array, offset: number, length: number): boolean {
    if (this.closed) return false;
    return this.pair.rtp.send(buf, offset, length);
  }

  /**
   * Stage an RTP datagram in a shared send (see SharedSend): its header index, -2 when there is
   * nowhere to send (what sendRtp would refuse), -1 when it must be sent alone.
   */
  stageRtp(batch: SharedSend, owner: SharedSendOwner): number {
    if (this.closed) return -2;
    const t = this.rtpPeer;
    if (!t || t.port === 0) return -2;
    return batch.stage(this.pair.rtp, owner);
  }

  sendRtcp(buf: Uint8Array, length = buf.length): boolean {
    if (this.closed) return false;
    const latched = this.rtcpLatch.current;
    const to = latched ?? (this.rtcpMux ? this.sendTarget : this.remoteRtcp);
    if (!to || to.port === 0) return false;
    const socket = this.rtcpMux ? this.pair.rtp : this.pair.rtcp;
    return socket.sendTo(buf, 0, length, to);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.delegate = undefined;
    this.allocator.release(this.pair);
  }
}
