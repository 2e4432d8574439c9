// The per-leg figures reported in `stats` events and responses.

import type { RtpSocket } from '../rtp/rtp-socket.ts';
import type { Leg } from './leg.ts';
import type { RemoteView } from './rtcp-reporter.ts';

export interface LegStats {
  legId: string;
  callId: string;
  localPort: number;
  remote: string | undefined;
  latched: string | undefined;
  codec: string | undefined;
  direction: string;
  rx: { packets: number; octets: number; lost: number; jitterMs: number; malformed: number; unknownPt: number; rejectedSource: number };
  tx: { packets: number; octets: number; dropped: number; ssrc: number };
  rtcp: RemoteView;
  jitterBuffer: Record<string, number>;
  durationMs: number;
}

export function legStats(leg: Leg, socket: RtpSocket, remote: RemoteView, nowMs: number): LegStats {
  const m = leg.media;
  const ep = (e: { address: string; port: number } | undefined): string | undefined => (e ? `${e.address}:${e.port}` : undefined);
  const rx = leg.receiver;
  return {
    legId: leg.id,
    callId: leg.callId,
    localPort: leg.port,
    remote: ep(m.remote),
    latched: ep(socket.latchedTo),
    codec: m.send?.codec.info.name,
    direction: m.localDirection === m.remoteDirection ? m.localDirection : `${m.localDirection}/${m.remoteDirection}`,
    rx: {
      packets: rx.stats.packets,
      octets: rx.stats.octets,
      lost: Math.max(0, rx.stats.lost),
      jitterMs: Math.round(rx.stats.jitterMs * 10) / 10,
      malformed: rx.malformed,
      unknownPt: rx.unknownPt,
      rejectedSource: socket.rejectedPackets,
    },
    tx: { packets: leg.sender.packets, octets: leg.sender.octets, dropped: leg.sender.dropped, ssrc: leg.sender.rewriter.ssrc },
    rtcp: { ...remote },
    jitterBuffer: rx.decoder.stats(),
    durationMs: Math.round(nowMs - leg.createdMs),
  };
}
