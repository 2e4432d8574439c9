// The app ⇄ media control protocol: newline-delimited JSON over a Unix socket. Requests carry an
// id and get exactly one response; events are pushed. Names follow rtpengine's NG protocol where
// one exists (call-id, tag) so a plain relay could later be handed to rtpengine.

import type { LegStats } from '../leg/leg-stats.ts';
import type { PlayEndReason, PlayItem } from '../player/player.ts';
import type { RecordEndReason } from '../recorder/recorder.ts';
import type { Direction } from '../sdp/direction.ts';
import type { SdpType } from '../sdp/offer-answer-state.ts';
import type { ClockStats } from '../engine/media-clock.ts';
import type { MixerStats } from '../mixer/mixer.ts';

export type { Direction, LegStats, PlayItem, SdpType };

export interface LegCreateParams {
  callId: string;
  /** SIP from-tag or to-tag of this side, for logs and NG naming. */
  tag?: string;
  /** Remote offer: we answer. Without it we make an offer from `codecs`. */
  offer?: string;
  /** Codec names in preference order (e.g. ["PCMU","opus"]); default: the configured list. */
  codecs?: string[];
  direction?: Direction;
  /** Offer/accept RFC 4733 telephone-event (default true). */
  telephoneEvent?: boolean;
  /** Listen for in-band DTMF: 'auto' when the remote has no telephone-event (default). */
  inbandDtmf?: 'auto' | 'on' | 'off';
}

export interface RequestMap {
  ping: { params: Record<string, never>; result: { uptimeMs: number; pid: number } };
  status: { params: Record<string, never>; result: ServerStatus };
  'leg.create': { params: LegCreateParams; result: { legId: string; sdp: string; port: number } };
  /** Apply the remote SDP: an answer to our offer, or a new offer (re-INVITE) we answer. */
  'leg.remote': { params: { legId: string; sdp: string; type?: SdpType }; result: { sdp?: string } };
  /** A new local offer for a re-INVITE or UPDATE we send (hold: direction "sendonly"). */
  'leg.offer': { params: { legId: string; direction?: Direction; codecs?: string[] }; result: { sdp: string } };
  'leg.destroy': { params: { legId: string }; result: { stats: LegStats } };
  'leg.stats': { params: { legId: string }; result: LegStats };
  'call.destroy': { params: { callId: string }; result: { legs: number } };
  /** With `echo: true` and legA === legB the leg hears itself (the echo test). */
  'bridge.create': { params: { legA: string; legB: string; bridgeId?: string; echo?: boolean }; result: { bridgeId: string; modes: { ab: string; ba: string } } };
  'bridge.destroy': { params: { bridgeId: string }; result: Record<string, never> };
  'conference.join': { params: { confId: string; legId: string; muted?: boolean; tones?: boolean }; result: { parties: number } };
  'conference.leave': { params: { legId: string }; result: { parties: number } };
  'conference.mute': { params: { legId: string; muted: boolean }; result: Record<string, never> };
  'play.start': { params: { legId: string; items: PlayItem[]; loop?: boolean | number; bargeIn?: boolean }; result: { playId: string } };
  'play.stop': { params: { legId: string }; result: { stopped: boolean } };
  'record.start': {
    params: { legId?: string; bridgeId?: string; path: string; maxMs?: number; silenceMs?: number; beep?: boolean; sampleRate?: number };
    result: { recordId: string };
  };
  'record.stop': { params: { recordId: string }; result: RecordDone };
  'dtmf.send': { params: { legId: string; digits: string; durationMs?: number; gapMs?: number; mode?: 'rfc4733' | 'inband' }; result: Record<string, never> };
}

export type Op = keyof RequestMap;
export type Params<K extends Op> = RequestMap[K]['params'];
export type Result<K extends Op> = RequestMap[K]['result'];

export type Request = { [K in Op]: { type: 'request'; id: number; op: K; params: Params<K> } }[Op];

export interface ErrorBody {
  /** SIP-style status: 400 bad request, 404 unknown id, 409 wrong state, 488 SDP not acceptable, 500. */
  status: number;
  message: string;
}

export type Response = { type: 'response'; id: number; ok: true; result: unknown } | { type: 'response'; id: number; ok: false; error: ErrorBody };

export interface RecordDone {
  recordId: string;
  legId?: string;
  bridgeId?: string;
  path: string;
  durationMs: number;
  reason: RecordEndReason;
  error?: string;
}

export interface EventMap {
  dtmf: { legId: string; callId: string; digit: string; durationMs: number; source: 'rfc4733' | 'inband' };
  playDone: { legId: string; playId: string; reason: PlayEndReason; digit?: string; playedMs: number };
  recordDone: RecordDone;
  rtpTimeout: { legId: string; callId: string; silentMs: number };
  stats: LegStats & { final: boolean };
}

export type EventName = keyof EventMap;
export type MediaEvent = { [K in EventName]: { type: 'event'; event: K; data: EventMap[K] } }[EventName];

export type Message = Request | Response | MediaEvent;

export interface ServerStatus {
  pid: number;
  legs: number;
  bridges: number;
  conferences: number;
  players: number;
  recorders: number;
  portsInUse: number;
  clock: ClockStats;
  mixers: MixerStats[];
  /** Which UDP layer carries RTP ('native' batched reads or Node's 'dgram'); optional, added later. */
  udpIo?: 'native' | 'dgram';
  /** The native layer's counters (event-loop wakeups, batches, datagrams); absent with dgram. */
  udpCounters?: Record<string, number>;
}
