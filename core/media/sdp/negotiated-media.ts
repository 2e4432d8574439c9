// The outcome of offer/answer for one leg's audio stream: what we send, what we accept, where to.

import type { CodecFactory } from '../codec-lookup.ts';
import type { Endpoint } from '../rtp/latch.ts';
import type { Direction, Flow } from './direction.ts';

export interface PayloadBinding {
  pt: number;
  codec: CodecFactory;
}

export interface NegotiatedMedia {
  /** False when the stream is rejected or disabled (port 0) or no codec is shared. */
  enabled: boolean;
  /** Remote RTP address from SDP; undefined for port 0 or the RFC 2543 hold address 0.0.0.0. */
  remote: Endpoint | undefined;
  rtcpPort: number | undefined;
  rtcpMux: boolean;
  /** The codec and payload type we send with (the first codec of the answer). */
  send: PayloadBinding | undefined;
  /** Every payload type we accept, mapped to its codec. */
  recv: PayloadBinding[];
  /** telephone-event payload type toward the remote, if it takes RFC 4733 events. */
  sendEventPt: number | undefined;
  sendEventRate: number;
  recvEventPts: number[];
  localDirection: Direction;
  remoteDirection: Direction;
  flow: Flow;
}

export const noMedia: NegotiatedMedia = {
  enabled: false,
  remote: undefined,
  rtcpPort: undefined,
  rtcpMux: false,
  send: undefined,
  recv: [],
  sendEventPt: undefined,
  sendEventRate: 8000,
  recvEventPts: [],
  localDirection: 'inactive',
  remoteDirection: 'inactive',
  flow: { send: false, recv: false },
};
