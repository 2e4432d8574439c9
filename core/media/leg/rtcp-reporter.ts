// Periodic RTCP for a leg (RFC 3550 §6.4): an SR while we send, else an RR, each with a report
// block about the remote's stream; incoming reports give the remote's view (loss, jitter) and the
// round-trip time from LSR/DLSR (§6.4.1).

import { decodeRtcp, encodeRtcpInto, ntpMiddle, rtcpEncodedSize, toNtp, type ReportBlock } from '../rtp/rtcp.ts';
import type { ReceiveStats } from '../rtp/receive-stats.ts';
import type { RtpSocket } from '../rtp/rtp-socket.ts';
import type { LegSender } from './leg-sender.ts';

export interface RemoteView {
  fractionLost: number;
  cumulativeLost: number;
  jitter: number;
  rttMs: number | undefined;
  reports: number;
}

export class RtcpReporter {
  private lastSentMs = -Infinity;
  private readonly srSent = new Map<number, number>();
  private sentAtLastReport = 0;
  readonly remote: RemoteView = { fractionLost: 0, cumulativeLost: 0, jitter: 0, rttMs: undefined, reports: 0 };
  sent = 0;

  constructor(
    private readonly socket: RtpSocket,
    private readonly sender: LegSender,
    private readonly rx: ReceiveStats,
    private readonly intervalMs: number,
    private readonly cname: string,
  ) {}

  /** Cheap check the media clock makes every tick, before it reads the wall clock for poll(). */
  due(nowMs: number): boolean {
    return this.intervalMs > 0 && nowMs - this.lastSentMs >= this.intervalMs;
  }

  /** Send a report when one is due. */
  poll(nowMs: number, wallMs: number): void {
    if (!this.due(nowMs)) return;
    if (this.sender.packets === 0 && this.rx.packets === 0) return;
    this.lastSentMs = nowMs;
    const blocks: ReportBlock[] = [];
    const block = this.rx.packets ? this.rx.reportBlock(nowMs) : undefined;
    if (block) blocks.push(block);
    const sending = this.sender.packets > this.sentAtLastReport;
    this.sentAtLastReport = this.sender.packets;
    const report: Parameters<typeof encodeRtcpInto>[2] = { ssrc: this.sender.rewriter.ssrc, blocks, cname: this.cname };
    if (sending) {
      const ntp = toNtp(wallMs);
      // The RTP timestamp that corresponds to "now" on our outgoing timeline.
      const rate = this.sender.codec?.info.clockRate ?? 8000;
      const rtpTs = (this.sender.lastRtpTs + Math.round(((nowMs - this.sender.lastSentMs) * rate) / 1000)) >>> 0;
      report.sender = { ntpSec: ntp.sec, ntpFrac: ntp.frac, rtpTimestamp: rtpTs, packetCount: this.sender.packets, octetCount: this.sender.octets };
      this.srSent.set(ntpMiddle(ntp.sec, ntp.frac), nowMs);
      if (this.srSent.size > 8) this.srSent.delete(this.srSent.keys().next().value!);
    }
    const buf = Buffer.alloc(rtcpEncodedSize(report));
    encodeRtcpInto(buf, 0, report);
    if (this.socket.sendRtcp(buf)) this.sent++;
  }

  onRtcp(buf: Buffer, nowMs: number): void {
    const r = decodeRtcp(buf);
    if (!r) return;
    if (r.sender) {
      this.rx.lastSrMiddle = ntpMiddle(r.sender.ntpSec, r.sender.ntpFrac);
      this.rx.lastSrArrivalMs = nowMs;
    }
    const mine = r.blocks.find((b) => b.ssrc === this.sender.rewriter.ssrc);
    if (!mine) return;
    this.remote.reports++;
    this.remote.fractionLost = mine.fractionLost / 256;
    this.remote.cumulativeLost = mine.cumulativeLost;
    this.remote.jitter = mine.jitter;
    const sentAt = this.srSent.get(mine.lastSr);
    if (mine.lastSr && sentAt !== undefined) this.remote.rttMs = Math.max(0, nowMs - sentAt - (mine.delaySinceLastSr / 65536) * 1000);
  }
}
