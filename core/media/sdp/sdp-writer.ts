// Serialising our local description with sdp-transform.

import { write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { LocalPlan } from './local-plan.ts';

/** An m-line of the remote offer we do not handle (video, a second audio...), answered with port 0. */
export interface RejectedLine {
  type: string;
  protocol: string;
  payloads: string;
}

export interface SessionIdentity {
  sessionId: string;
  version: number;
  address: string;
  port: number;
}

function ipVer(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

function audioLine(plan: LocalPlan, port: number, ptimeMs: number): MediaDescription {
  const m: MediaDescription = {
    type: 'audio',
    port: plan.disabled ? 0 : port,
    protocol: 'RTP/AVP',
    payloads: plan.payloads.map((p) => p.pt).join(' '),
    rtp: plan.payloads.map((p) => (p.channels > 1 ? { payload: p.pt, codec: p.name, rate: p.clockRate, encoding: p.channels } : { payload: p.pt, codec: p.name, rate: p.clockRate })),
    fmtp: plan.payloads.flatMap((p) => (p.fmtp ? [{ payload: p.pt, config: p.fmtp }] : [])),
  };
  if (plan.disabled) return { type: 'audio', port: 0, protocol: 'RTP/AVP', payloads: m.payloads ?? '0', rtp: [], fmtp: [] };
  m.ptime = ptimeMs;
  if (plan.rtcpMux) m.rtcpMux = 'rtcp-mux';
  m.direction = plan.direction;
  return m;
}

/** Write the SDP; `rejected` lines keep their positions around the audio line at `audioIndex`. */
export function writeSdp(id: SessionIdentity, plan: LocalPlan, ptimeMs: number, audioIndex = 0, rejected: readonly RejectedLine[] = []): string {
  const media: MediaDescription[] = rejected.map((r) => ({ type: r.type, port: 0, protocol: r.protocol, payloads: r.payloads, rtp: [], fmtp: [] }));
  media.splice(audioIndex, 0, audioLine(plan, id.port, ptimeMs));
  const v = ipVer(id.address);
  const sdp: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: id.sessionId, sessionVersion: id.version, netType: 'IN', ipVer: v, address: id.address },
    name: '-',
    timing: { start: 0, stop: 0 },
    connection: { version: v, ip: id.address },
    media,
  };
  return write(sdp);
}
