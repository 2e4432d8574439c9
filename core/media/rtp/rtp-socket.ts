// The UDP side of a leg: an RTP and an RTCP socket (or one with rtcp-mux), the remote address from
// SDP, and latching to the real source. Packet handling is delegated to the leg.

import type dgram from 'node:dgram';
import { Latch, type Endpoint } from './latch.ts';
import { looksLikeRtcp } from './rtp-packet.ts';
import type { PortAllocator, SocketPair } from './port-allocator.ts';
import type { Clock } from '../util/clock.ts';

export interface RtpSocketDelegate {
  onRtp(buf: Buffer, from: dgram.RemoteInfo): void;
  onRtcp(buf: Buffer, from: dgram.RemoteInfo): void;
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
  private closed = false;
  sendErrors = 0;
  delegate: RtpSocketDelegate | undefined;

  private constructor(
    private readonly pair: SocketPair,
    private readonly allocator: PortAllocator,
    private readonly opts: RtpSocketOptions,
  ) {
    this.rtpLatch = new Latch(opts.latching, opts.relatchAfterMs);
    this.rtcpLatch = new Latch(opts.latching, opts.relatchAfterMs);
    pair.rtp.on('message', (buf, from) => this.onRtpSocket(buf, from));
    pair.rtcp.on('message', (buf, from) => {
      if (this.rtcpLatch.accept(from.address, from.port, opts.clock.now())) this.delegate?.onRtcp(buf, from);
    });
    // A send to an unreachable port shows up as an async error on some platforms; it must not crash.
    pair.rtp.on('error', () => this.sendErrors++);
    pair.rtcp.on('error', () => this.sendErrors++);
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
  }

  private onRtpSocket(buf: Buffer, from: dgram.RemoteInfo): void {
    if (this.rtcpMux && looksLikeRtcp(buf, buf.length)) {
      if (this.rtcpLatch.accept(from.address, from.port, this.opts.clock.now())) this.delegate?.onRtcp(buf, from);
      return;
    }
    if (!this.rtpLatch.accept(from.address, from.port, this.opts.clock.now())) return;
    this.delegate?.onRtp(buf, from);
  }

  sendRtp(buf: Buffer, length = buf.length): boolean {
    const to = this.sendTarget;
    if (!to || to.port === 0 || this.closed) return false;
    // No completion callback: it would cost a request object and a nextTick per packet; send
    // errors surface as the socket's 'error' event, which is counted above.
    if (length === buf.length) this.pair.rtp.send(buf, to.port, to.address);
    else this.pair.rtp.send(buf, 0, length, to.port, to.address);
    return true;
  }

  sendRtcp(buf: Buffer, length = buf.length): boolean {
    if (this.closed) return false;
    const latched = this.rtcpLatch.current;
    const to = latched ?? (this.rtcpMux ? this.sendTarget : this.remoteRtcp);
    if (!to || to.port === 0) return false;
    const socket = this.rtcpMux ? this.pair.rtp : this.pair.rtcp;
    socket.send(buf, 0, length, to.port, to.address);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.delegate = undefined;
    this.allocator.release(this.pair);
  }
}
