// The UDP layer under RTP sockets, as a contract with two implementations: Node's dgram (always there)
// and the native batched reader of our addon (native-udp.ts), which costs a fraction per packet.
// A received datagram is lent, not given: `data` is valid only during the handler call. Sending
// works the other way round: the bytes are taken before send() returns, so callers reuse buffers.

import type { Endpoint } from './latch.ts';

/**
 * `fromPeer`: the datagram came from the address set with setPeer (the hot path checks this flag and
 * never builds an address string).
 */
export type DatagramHandler = (data: Uint8Array, offset: number, length: number, fromPeer: boolean) => void;

export interface UdpPort {
  readonly port: number;
  onDatagram: DatagramHandler | undefined;
  /** Source of the datagram being handled (only valid inside onDatagram). */
  source(): Endpoint;
  /** Where send() goes; undefined stops sending. */
  setPeer(peer: Endpoint | undefined): void;
  send(data: Uint8Array, offset: number, length: number): boolean;
  sendTo(data: Uint8Array, offset: number, length: number, to: Endpoint): boolean;
  /** Send failures the platform reported (unreachable port and the like); they never throw. */
  readonly sendErrors: number;
  close(): void;
}

export interface UdpTransport {
  readonly kind: 'native' | 'dgram';
  /** A bound socket, or undefined when the address is taken. */
  bind(ip: string, port: number): Promise<UdpPort | undefined>;
  /** Implementation counters for status and benchmarks, where it keeps any. */
  counters?(): Record<string, number>;
  close(): void;
}
