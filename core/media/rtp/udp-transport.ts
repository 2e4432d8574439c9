// The UDP layer under RTP sockets, as a contract with two implementations: Node's dgram (always there)
// and the native batched reader of our addon (native-udp.ts), which costs a fraction per packet.
// A received datagram is lent, not given: `data` is valid only during the handler call. Sending
// works the other way round: the bytes are taken before send() returns, so callers reuse buffers.

import type { Endpoint } from './latch.ts';
import type { RelayRoute } from './relay-record.ts';

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
  /**
   * A native relay from this port out through `to` (bridge/fast-relay.ts), where the transport has
   * one (native) and both ports are its own; undefined otherwise. One route per port at a time.
   */
  relayTo?(to: UdpPort): RelayRoute | undefined;
  close(): void;
}

/** Told when a datagram staged in a SharedSend did not go out after all. */
export interface SharedSendOwner {
  unsent(payloadBytes: number): void;
}

/**
 * One payload to many ports, each datagram behind its own RTP header (a conference sends the same
 * encoded mix to every listener who is not talking): one crossing into the UDP layer per payload
 * instead of one per listener.
 */
export interface SharedSend {
  /**
   * Stage a datagram for `port`: the index whose 12-byte header the caller writes into `heads` at
   * 12 × index, or -1 when the port is not this transport's (send that one alone).
   */
  stage(port: UdpPort, owner: SharedSendOwner): number;
  /** Headers of the staged datagrams (reallocated as it grows: read it after stage()). */
  readonly heads: Uint8Array;
  readonly size: number;
  /** Send every staged datagram with `payload`, tell the owners of those that failed, and empty. */
  flush(payload: Uint8Array, offset: number, length: number): void;
}

export interface UdpTransport {
  readonly kind: 'native' | 'dgram';
  /** A bound socket, or undefined when the address is taken. */
  bind(ip: string, port: number): Promise<UdpPort | undefined>;
  /** A SharedSend over this transport, where it has one (native). */
  sharedSend?(): SharedSend;
  /** Implementation counters for status and benchmarks, where it keeps any. */
  counters?(): Record<string, number>;
  close(): void;
}
