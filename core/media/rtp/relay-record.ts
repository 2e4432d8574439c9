// Layout of a native relay route's record: doubles in a Float64Array shared by JavaScript and the
// addon (native/src/relay-route.h holds the same numbers). JavaScript writes the route's parameters
// and the stream state when it arms the route; the addon updates the state and counters per packet
// it relays; JavaScript reads them back at a low rate (housekeeping, stats) or when it takes over.

export const enum RelayWord {
  Armed = 0,
  OutSock = 1,
  RtcpMux = 2,
  ClockOffset = 3,
  SrcSsrc = 4,
  SrcLastSeq = 5,
  SeqOffset = 6,
  TsOffset = 7,
  OutLastSeq = 8,
  OutLastTs = 9,
  OutSsrc = 10,
  OutLastAt = 11,
  TxPackets = 12,
  TxOctets = 13,
  TxLastTs = 14,
  TxLastMs = 15,
  TxErrors = 16,
  RxPackets = 17,
  RxLastMs = 18,
  StSsrc = 19,
  StPackets = 20,
  StOctets = 21,
  StMaxSeq = 22,
  StCycles = 23,
  StLastTransit = 24,
  StJitterQ4 = 25,
  StClockRate = 26,
}

export const RELAY_WORDS = 28;
/** Bytes per route in the payload-type map: the outgoing PT per incoming PT, or RELAY_TO_JS. */
export const RELAY_PT_MAP_BYTES = 128;
export const RELAY_TO_JS = 0xff;

/** One route's record; its words are read and written through get/set (the table may be reallocated). */
export interface RelayRecord {
  get(w: RelayWord): number;
  set(w: RelayWord, v: number): void;
}

/**
 * A port's native relay toward another port of the same transport (UdpPort.relayTo). While armed,
 * the addon relays what it can of the port's datagrams itself (see relay-route.h for which ones).
 */
export interface RelayRoute extends RelayRecord {
  /** The map from incoming to outgoing payload type (RELAY_TO_JS: hand the packet to JavaScript). */
  readonly ptMap: Uint8Array;
  /** Set once before arming: the addon's clock, mapped onto `nowMs` of the caller's clock. */
  setClock(nowMs: number): void;
  armed: boolean;
  /** Disarm for good and forget the route. */
  close(): void;
}
