// UdpTransport over the addon's batched reader (native/src/udp-io.cc): one JS call per event-loop wakeup
// for every datagram that arrived on any socket, no Buffer or address string per datagram, and sends that
// go straight to sendto(). Received bytes live in one shared area that the next batch overwrites.

import { loadNative, NATIVE_BUILD_COMMAND, NativeAddonError, type NativeUdpIo } from '../native/index.ts';
import type { Endpoint } from './latch.ts';
import type { DatagramHandler, UdpPort, UdpTransport } from './udp-transport.ts';

/** Bytes per datagram slot: an RTP packet fits in an Ethernet MTU; larger datagrams are dropped and counted. */
const SLOT_BYTES = 2048;
/** Datagrams per batch (1 MiB of slots); more wait for the next round. */
const SLOTS = 512;
const META_WORDS = 4;
const FLAG_FROM_PEER = 1;

class NativePort implements UdpPort {
  onDatagram: DatagramHandler | undefined;
  sendErrors = 0;
  private closed = false;

  constructor(
    private readonly owner: NativeUdpTransport,
    private readonly io: NativeUdpIo,
    readonly id: number,
    readonly port: number,
  ) {}

  source(): Endpoint {
    return this.owner.currentSource();
  }

  setPeer(peer: Endpoint | undefined): void {
    if (this.closed) return;
    this.io.setPeer(this.id, peer?.address ?? '', peer?.port ?? 0);
  }

  send(data: Uint8Array, offset: number, length: number): boolean {
    if (this.closed) return false;
    const n = this.io.send(this.id, data, offset, length);
    if (n >= 0) return true;
    // -ENOTCONN: no peer yet, nothing was attempted.
    if (n !== -107) this.sendErrors++;
    return false;
  }

  sendTo(data: Uint8Array, offset: number, length: number, to: Endpoint): boolean {
    if (this.closed) return false;
    if (this.io.sendTo(this.id, data, offset, length, to.address, to.port) >= 0) return true;
    this.sendErrors++;
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDatagram = undefined;
    this.owner.forget(this);
  }
}

export class NativeUdpTransport implements UdpTransport {
  readonly kind = 'native';
  private readonly data = new Uint8Array(SLOT_BYTES * SLOTS);
  private readonly meta = new Int32Array(META_WORDS * SLOTS);
  private readonly io: NativeUdpIo;
  private readonly ports: (NativePort | undefined)[] = [];
  /** Index in the current batch of the datagram being handled. */
  private current = -1;

  /** `sendThread`: sendto() runs on a second thread, fed once per event-loop iteration. */
  constructor(opts: { sendThread?: boolean } = {}) {
    const native = loadNative();
    if (typeof native.UdpIo !== 'function') throw new NativeAddonError(`the media addon predates UdpIo; rebuild it with \`${NATIVE_BUILD_COMMAND}\``);
    this.io = new native.UdpIo(this.data, this.meta, SLOT_BYTES, (count) => this.onBatch(count), opts.sendThread ?? false);
  }

  private onBatch(count: number): void {
    const meta = this.meta;
    const data = this.data;
    const ports = this.ports;
    try {
      for (let i = 0; i < count; i++) {
        const m = i * META_WORDS;
        const port = ports[meta[m]!];
        if (!port?.onDatagram) continue;
        this.current = i;
        port.onDatagram(data, meta[m + 1]!, meta[m + 2]!, (meta[m + 3]! & FLAG_FROM_PEER) !== 0);
      }
    } finally {
      this.current = -1;
    }
  }

  currentSource(): Endpoint {
    const i = this.current;
    return i < 0 ? { address: '', port: 0 } : { address: this.io.sourceAddress(i) ?? '', port: this.io.sourcePort(i) ?? 0 };
  }

  bind(ip: string, port: number): Promise<UdpPort | undefined> {
    const id = this.io.open(ip, port);
    if (id < 0) return Promise.resolve(undefined);
    const p = new NativePort(this, this.io, id, port === 0 ? this.io.localPort(id) : port);
    this.ports[id] = p;
    return Promise.resolve(p);
  }

  forget(port: NativePort): void {
    if (this.ports[port.id] === port) this.ports[port.id] = undefined;
    this.io.closeSocket(port.id);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.io.counters()).map(([k, v]) => [k, Number(v)]));
  }

  close(): void {
    this.io.close();
    this.ports.length = 0;
  }
}
