// From our plan and the remote's audio m-line to the NegotiatedMedia a leg runs with.

import type { MediaDescription, SessionDescription } from 'sdp-transform';
import type { CodecFactory } from '../codec-lookup.ts';
import { effectiveFlow, isDirection, type Direction } from './direction.ts';
import type { LocalPlan } from './local-plan.ts';
import { noMedia, type NegotiatedMedia, type PayloadBinding } from './negotiated-media.ts';
import { codecFor, isTelephoneEvent, payloadsOf } from './payloads.ts';

export function remoteDirection(m: MediaDescription, s: SessionDescription): Direction {
  const d = m.direction ?? s.direction;
  return isDirection(d) ? d : 'sendrecv';
}

function isHoldAddress(ip: string | undefined): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

export function negotiate(plan: LocalPlan, m: MediaDescription, s: SessionDescription): NegotiatedMedia {
  if (plan.disabled || m.port === 0) return { ...noMedia, localDirection: plan.direction };
  const localCodecs = plan.payloads.flatMap((p) => (p.codec ? [p.codec] : []));
  const remotePayloads = payloadsOf(m);
  const ip = m.connection?.ip ?? s.connection?.ip;
  let dir = remoteDirection(m, s);
  // RFC 3264 §8.4: c=0.0.0.0 is the old (RFC 2543) way to put a stream on hold: send nothing.
  if (isHoldAddress(ip)) dir = dir === 'sendrecv' ? 'sendonly' : dir === 'recvonly' ? 'inactive' : dir;

  let send: PayloadBinding | undefined;
  for (const p of remotePayloads) {
    const codec: CodecFactory | undefined = isTelephoneEvent(p) ? undefined : codecFor(p, localCodecs);
    if (codec) {
      send = { pt: p.pt, codec };
      break;
    }
  }
  // We receive with the payload types of our own SDP; the remote's numbers are accepted too,
  // because phones that answer with different dynamic numbers often send with those.
  const recv: PayloadBinding[] = [];
  for (const p of plan.payloads) if (p.codec) recv.push({ pt: p.pt, codec: p.codec });
  for (const p of remotePayloads) {
    const codec = isTelephoneEvent(p) ? undefined : codecFor(p, localCodecs);
    if (codec && !recv.some((r) => r.pt === p.pt) && !plan.payloads.some((l) => l.pt === p.pt)) recv.push({ pt: p.pt, codec });
  }
  const remoteEvents = remotePayloads.filter(isTelephoneEvent);
  const localEvents = plan.payloads.filter(isTelephoneEvent);
  const sendRate = send?.codec.info.clockRate ?? 8000;
  const te = localEvents.length ? (remoteEvents.find((e) => e.clockRate === sendRate) ?? remoteEvents[0]) : undefined;
  const recvEventPts = [...new Set([...localEvents.map((e) => e.pt), ...(localEvents.length ? remoteEvents.map((e) => e.pt) : [])])];

  return {
    enabled: send !== undefined,
    remote: ip && !isHoldAddress(ip) ? { address: ip, port: m.port } : undefined,
    rtcpPort: m.rtcp?.port,
    rtcpMux: plan.rtcpMux && m.rtcpMux === 'rtcp-mux',
    send,
    recv,
    sendEventPt: te?.pt,
    sendEventRate: te?.clockRate ?? 8000,
    recvEventPts,
    localDirection: plan.direction,
    remoteDirection: dir,
    flow: send ? effectiveFlow(plan.direction, dir) : { send: false, recv: false },
  };
}
