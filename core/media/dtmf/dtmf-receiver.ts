// Turns a stream of RFC 4733 packets into digits (§2.5.2): one event per RTP timestamp, reported
// once at its first End packet (the two retransmitted End packets are ignored). An event whose End
// packets are all lost is reported when the next event starts or after `staleMs` without updates.

import { eventToDigit, rfc4733 } from '../codecs/dtmf/index.ts';

export interface DtmfDigit {
  digit: string;
  durationMs: number;
}

export class DtmfReceiver {
  private currentTs: number | undefined;
  private current: { event: number; duration: number; lastMs: number; reported: boolean } | undefined;

  constructor(
    private clockRate: number,
    private readonly staleMs = 1000,
  ) {}

  setClockRate(rate: number): void {
    this.clockRate = rate;
  }

  /** Feed one telephone-event packet; returns the digits it completes. */
  onPacket(timestamp: number, payload: Uint8Array, nowMs: number): DtmfDigit[] {
    const r = rfc4733.decode(payload);
    if (!r.ok) return [];
    const e = r.value;
    const out: DtmfDigit[] = [];
    if (timestamp !== this.currentTs) {
      const stale = this.flush();
      if (stale) out.push(stale);
      this.currentTs = timestamp;
      this.current = { event: e.event, duration: e.duration, lastMs: nowMs, reported: false };
    }
    const cur = this.current!;
    if (cur.reported) return out;
    cur.duration = Math.max(cur.duration, e.duration);
    cur.lastMs = nowMs;
    if (e.end) {
      cur.reported = true;
      const d = this.digit(cur.event, cur.duration);
      if (d) out.push(d);
    }
    return out;
  }

  /** Report an event whose End never came once it has gone quiet. */
  poll(nowMs: number): DtmfDigit | undefined {
    if (this.current && !this.current.reported && nowMs - this.current.lastMs >= this.staleMs) return this.flush();
    return undefined;
  }

  private flush(): DtmfDigit | undefined {
    const cur = this.current;
    if (!cur || cur.reported) return undefined;
    cur.reported = true;
    return this.digit(cur.event, cur.duration);
  }

  private digit(event: number, duration: number): DtmfDigit | undefined {
    const digit = eventToDigit(event);
    return digit === undefined ? undefined : { digit, durationMs: Math.round((duration * 1000) / this.clockRate) };
  }
}
