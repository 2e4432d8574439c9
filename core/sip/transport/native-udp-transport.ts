// UDP listener over the media addon's batched reader (core/media/native/src/udp-io.cc): every
// datagram that arrived during one event-loop wake-up is read with recvmmsg and handed to one JS
// call, and sends are a plain sendto() with no dgram request object or lookup tick. Same surface
// and behaviour as UdpTransport, which stays the fallback. The socket asks for the same 4 MiB
// kernel buffers UdpTransport does: with the default (~208 KiB) bursts arriving during an engine
// pause were dropped where dgram's socket kept them. No send thread: it
// measured no clear gain for SIP's few, replied-at-once datagrams.
import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { loadNative, type NativeUdpIo } from '../../media/native/index.ts';
import { deliverDatagram, type Inbound, type TransportDelegate } from './transport.ts';

/** A slot holds a whole UDP datagram, so the addon never truncates (it drops and counts what it would). */
const SLOT_BYTES = 65_536;
/** Datagrams per batch: 4 MiB of slots, about what dgram's receive buffer held. */
const SLOTS = 64;
const META_WORDS = 4;
/** The addon's send range check: the largest IPv4 UDP payload. Larger sends would throw there. */
const MAX_SEND_BYTES = 65_507;
/** Kernel receive/send buffer asked for, as UdpTransport asks dgram (capped by net.core.[rw]mem_max). */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** The surface the transport layer uses, shared by both UDP transports. */
export interface UdpListener {
  readonly address: string;
  port: number;
  listen(): Promise<void>;
  send(data: Buffer, address: string, port: number): void;
  close(): Promise<void>;
}

/**
 * Why this listen address cannot use the addon, or undefined when it can. The addon parses IP
 * literals only and drops an IPv6 scope id (`fe80::1%eth0`), so names and scoped addresses stay
 * on dgram. Plain IPv6 (`::1`, `::`) binds natively, dual-stack like dgram's udp6.
 */
export function nativeUnsupported(address: string): string | undefined {
  if (isIP(address) === 0) return `${address} is not an IP literal`;
  if (address.includes('%')) return `${address} has an IPv6 scope id`;
  return undefined;
}

export class NativeUdpTransport implements UdpListener {
  private readonly io: NativeUdpIo;
  private readonly data = new Uint8Array(SLOTS * SLOT_BYTES);
  private readonly meta = new Int32Array(SLOTS * META_WORDS);
  private id = -1;
  private closed = false;
  readonly address: string;
  port: number;
  /** The advertised local side of every Inbound; one object, as the engine only reads it. */
  private local: { address: string; port: number };

  /** Throws NativeAddonError when the addon is not built or does not load. */
  constructor(
    address: string,
    port: number,
    private readonly delegate: TransportDelegate,
    private readonly maxBytes: number,
    sendThread = false,
  ) {
    this.address = address;
    this.port = port;
    this.local = { address, port };
    const native = loadNative();
    this.io = new native.UdpIo(this.data, this.meta, SLOT_BYTES, (count) => this.onBatch(count), sendThread);
  }

  listen(): Promise<void> {
    const id = this.io.open(this.address, this.port, SOCKET_BUFFER_BYTES);
    if (id < 0) {
      // Shaped like dgram's bind error so callers see the same `code` (EADDRINUSE, EADDRNOTAVAIL...).
      const code = getSystemErrorName(id);
      const err = Object.assign(new Error(`bind ${code} ${this.address}:${this.port}`), { code, errno: id, syscall: 'bind' });
      this.io.close();
      return Promise.reject(err);
    }
    this.id = id;
    this.port = this.io.localPort(id);
    this.local = { address: this.address, port: this.port };
    return Promise.resolve();
  }

  /** Counters of the underlying reader (received, truncated, sendErrors...), for tests and benches. */
  counters(): ReturnType<NativeUdpIo['counters']> {
    return this.io.counters();
  }

  private onBatch(count: number): void {
    const { data, meta, io } = this;
    for (let i = 0; i < count && !this.closed; i++) {
      const off = meta[i * META_WORDS + 1]!;
      const len = meta[i * META_WORDS + 2]!;
      const address = io.sourceAddress(i);
      const port = io.sourcePort(i);
      if (address === undefined || port === undefined) continue;
      // The slot is overwritten by the next batch and the engine keeps views of the message: copy.
      const copy = Buffer.allocUnsafe(len);
      copy.set(data.subarray(off, off + len));
      deliverDatagram(copy, { protocol: 'udp', address, port }, this.local, this.maxBytes, this.delegate, (b) => this.send(b, address, port));
    }
  }

  send(data: Buffer, address: string, port: number): void {
    // A late timer (a retransmission) after shutdown must not throw; neither may a datagram the
    // kernel would refuse anyway (dgram reports EMSGSIZE to an error handler that ignores it).
    if (this.closed || this.id < 0 || data.length > MAX_SEND_BYTES || port < 1 || port > 65_535) return;
    // A negative result (-errno) is ICMP-style failure; the transaction layer times out instead.
    this.io.sendTo(this.id, data, 0, data.length, address, port);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      // Closes the socket and, with a send thread, sends what was queued before joining it.
      this.io.close();
    }
    return Promise.resolve();
  }
}
