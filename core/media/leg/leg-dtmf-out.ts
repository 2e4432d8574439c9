// Sends queued digits on a leg, one schedule step per tick: RFC 4733 events when the remote
// negotiated telephone-event, else in-band tones in the leg's codec. Events follow §2.5.1: the
// first packet has the marker bit, every packet of an event repeats its start timestamp with a
// growing duration, and the End packet is sent three times.

import { DtmfGenerator, rfc4733 } from '../codecs/dtmf/index.ts';
import { ticksPer } from '../codec-lookup.ts';
import { DtmfSchedule } from '../dtmf/dtmf-schedule.ts';
import type { LegSender } from './leg-sender.ts';

export type DtmfMode = 'rfc4733' | 'inband';

export class LegDtmfOut {
  private readonly schedule: DtmfSchedule;
  private eventTs = 0;
  private mode: DtmfMode = 'rfc4733';
  private tone: DtmfGenerator | undefined;
  private toneFrame = new Int16Array(0);
  private readonly payload = Buffer.alloc(4);
  /** Digits queued or the claim still held; the media clock skips idle legs on this flag. */
  active = false;
  sentEvents = 0;

  constructor(
    private readonly sender: LegSender,
    private readonly ptimeMs: number,
  ) {
    this.schedule = new DtmfSchedule(ptimeMs);
  }

  send(digits: string, durationMs: number, gapMs: number, mode?: DtmfMode): Promise<void> {
    this.mode = mode ?? (this.sender.eventPt !== undefined ? 'rfc4733' : 'inband');
    const done = this.schedule.queue(digits, durationMs, gapMs);
    this.sender.claim('dtmf');
    this.active = true;
    return done;
  }

  /** One tick of the schedule. */
  tick(): void {
    if (!this.active) return;
    const step = this.schedule.next();
    const codec = this.sender.codec;
    if (!step || !codec) {
      if (!this.schedule.busy) {
        this.sender.release('dtmf');
        this.active = false;
      }
      return;
    }
    const frameTicks = ticksPer(codec.info, this.ptimeMs);
    if (step.kind === 'gap') {
      this.sender.advanceLocal(frameTicks);
      return;
    }
    if (this.mode === 'inband' || this.sender.eventPt === undefined) {
      if (step.first) {
        this.tone = new DtmfGenerator({ sampleRate: codec.info.sampleRate, toneMs: step.durationMs, gapMs: 0 });
        this.tone.send(step.digit);
        this.toneFrame = new Int16Array(Math.round((codec.info.sampleRate * this.ptimeMs) / 1000));
      }
      this.tone?.fill(this.toneFrame);
      this.sender.sendPcm(this.toneFrame, codec.info.sampleRate, 'dtmf');
      return;
    }
    if (step.first) this.eventTs = this.sender.localTimestamp;
    const rate = this.sender.eventRate;
    const duration = Math.min(0xffff, Math.round((step.elapsedMs * rate) / 1000));
    rfc4733.encodeInto({ event: step.event, end: step.last, volume: 10, duration }, this.payload, 0);
    const pt = this.sender.eventPt;
    const copies = step.last ? 3 : 1;
    for (let i = 0; i < copies; i++) this.sender.sendLocalAt(this.payload, pt, this.eventTs, step.first);
    if (step.last) this.sentEvents++;
    this.sender.advanceLocal(frameTicks);
  }

  cancel(): void {
    this.schedule.clear();
    this.sender.release('dtmf');
    this.active = false;
  }
}
