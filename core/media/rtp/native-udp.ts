// UdpTransport over the addon's batched reader (native/src/udp-io.cc): one JS call per event-loop wakeup
// for every datagram that arrived on any socket, no Buffer or address string per datagram, and sends that
// go straight to sendto(). Received bytes live in one shared area that the next batch overwrites.

import { loadNative, NATIVE_BUILD_COMMAND, NativeAddonError, type NativeUdpIo } from '../native/index.ts';
import type { Endpoint } from './latch.ts';
import { RELAY_PT_MAP_BYTES, RELAY_WORDS, RelayWord, type RelayRoute } from './relay-record.ts';
import type { DatagramHandler, SharedSend, SharedSendOwner, UdpPort, UdpTransport } from './udp-transport.ts';

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

  relayTo(to: UdpPort): RelayRoute | undefined {
    if (this.closed || !(to instanceof NativePort) || to.owner !== this.owner) return undefined;
    return this.owner.route(this, to);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDatagram = undefined;
    this.owner.forget(this);
  }
}

/** A socket's route: its words live in the transport's table, at the socket id's record. */
class NativeRoute implements RelayRoute {
  private open = true;

  constructor(
    private readonly owner: NativeUdpTransport,
    private readonly id: number,
    readonly outId: number,
  ) {
    const r = owner.records();
    r.fill(0, id * RELAY_WORDS, (id + 1) * RELAY_WORDS);
    r[id * RELAY_WORDS + RelayWord.OutSock] = outId;
  }

  /** A fresh view each time: the table is reallocated as socket ids grow. */
  get ptMap(): Uint8Array {
    return this.owner.ptMapOf(this.id);
  }

  get(w: RelayWord): number {
    return this.owner.records()[this.id * RELAY_WORDS + w]!;
  }

  set(w: RelayWord, v: number): void {
    this.owner.records()[this.id * RELAY_WORDS + w] = v;
  }

  setClock(nowMs: number): void {
    this.set(RelayWord.ClockOffset, nowMs - this.owner.hrtimeMs());
  }

  get armed(): boolean {
    return this.open && this.get(RelayWord.Armed) !== 0;
  }

  set armed(on: boolean) {
    if (this.open) this.set(RelayWord.Armed, on ? 1 : 0);
  }

  close(): void {
    if (!this.open) return;
    this.set(RelayWord.Armed, 0);
    this.open = false;
    this.owner.dropRoute(this.id, this);
  }
}

class NativeSharedSend implements SharedSend {
  private ids = new Int32Array(64);
  heads = new Uint8Array(64 * 12);
  private failed = new Uint8Array(64);
  private owners: SharedSendOwner[] = [];
  size = 0;

  constructor(private readonly io: NativeUdpIo) {}

  stage(port: UdpPort, owner: SharedSendOwner): number {
    if (!(port instanceof NativePort) || !port.isOpen) return -1;
    const i = this.size;
    if (i === this.ids.length) this.grow();
    this.ids[i] = port.id;
    this.owners[i] = owner;
    this.size = i + 1;
    return i;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = new Int32Array(n);
    ids.set(this.ids);
    const heads = new Uint8Array(n * 12);
    heads.set(this.heads);
    this.ids = ids;
    this.heads = heads;
    this.failed = new Uint8Array(n);
  }

  flush(payload: Uint8Array, offset: number, length: number): void {
    const n = this.size;
    this.size = 0;
    if (n === 0) return;
    if (this.io.sendShared(this.ids, this.heads, n, payload, offset, length, this.failed) > 0) {
      for (let i = 0; i < n; i++) if (this.failed[i] === 1) this.owners[i]!.unsent(length);
    }
  }
}

export class NativeUdpTransport implements UdpTransport {
  readonly kind = 'native';
  private readonly data = new Uint8Array(SLOT_BYTES * SLOTS);
  private readonly meta = new Int32Array(META_WORDS * SLOTS);
  private readonly io: NativeUdpIo;
  private readonly ports: (NativePort | undefined)[] = [];
  /** Native relay routes by socket id (records and payload-type maps shared with the addon). */
  private relayRecords = new Float64Array(0);
  private relayPtMaps = new Uint8Array(0);
  private readonly routes: (NativeRoute | undefined)[] = [];
  /** Routes by the socket they send through: closing that socket ends them (its id may be reused at once). */
  private readonly routesOut = new Map<number, Set<NativeRoute>>();
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
    this.routes[port.id]?.close();
    for (const r of [...(this.routesOut.get(port.id) ?? [])]) r.close();
    this.io.closeSocket(port.id);
  }

  route(from: NativePort, to: NativePort): RelayRoute {
    this.routes[from.id]?.close();
    this.ensureRelayTable(from.id);
    const r = new NativeRoute(this, from.id, to.id);
    this.routes[from.id] = r;
    let out = this.routesOut.get(to.id);
    if (!out) this.routesOut.set(to.id, (out = new Set()));
    out.add(r);
    return r;
  }

  dropRoute(id: number, r: NativeRoute): void {
    if (this.routes[id] === r) this.routes[id] = undefined;
    const out = this.routesOut.get(r.outId);
    out?.delete(r);
    if (out?.size === 0) this.routesOut.delete(r.outId);
  }

  records(): Float64Array {
    return this.relayRecords;
  }

  ptMapOf(id: number): Uint8Array {
    return this.relayPtMaps.subarray(id * RELAY_PT_MAP_BYTES, (id + 1) * RELAY_PT_MAP_BYTES);
  }

  hrtimeMs(): number {
    return this.io.hrtimeMs();
  }

  /** Grow the shared table (doubling) so socket `id` has a record; the addon is handed the new arrays. */
  private ensureRelayTable(id: number): void {
    const have = this.relayRecords.length / RELAY_WORDS;
    if (id < have) return;
    const cap = Math.max(64, have * 2, id + 1);
    const records = new Float64Array(cap * RELAY_WORDS);
    records.set(this.relayRecords);
    const maps = new Uint8Array(cap * RELAY_PT_MAP_BYTES);
    maps.set(this.relayPtMaps);
    this.relayRecords = records;
    this.relayPtMaps = maps;
    this.io.setRelayTable(records, maps);
  }

  sharedSend(): SharedSend {
    return new NativeSharedSend(this.io);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.io.counters()).map(([k, v]) => [k, Number(v)]));
  }

  close(): void {
    this.io.close();
    this.ports.length = 0;
  }
}
