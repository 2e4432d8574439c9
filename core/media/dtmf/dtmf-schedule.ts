// Paces outgoing digits on the 20 ms media tick: each digit is `durationMs` of tone followed by
// `gapMs` of nothing. The leg turns each step into RFC 4733 packets or in-band tone frames.

import { digitToEvent } from '../codecs/dtmf/index.ts';

export type DtmfStep =
  | { kind: 'tone'; digit: string; event: number; first: boolean; last: boolean; elapsedMs: number; durationMs: number }
  | { kind: 'gap' };

export class DtmfSchedule {
  private readonly steps: DtmfStep[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly tickMs: number) {}

  /** Queue digits; the promise resolves once the last one has been sent. Unknown characters are rejected. */
  queue(digits: string, durationMs: number, gapMs: number): Promise<void> {
    const ticks = Math.max(2, Math.round(durationMs / this.tickMs));
    const gapTicks = Math.max(1, Math.round(gapMs / this.tickMs));
    for (const digit of digits) {
      const event = digitToEvent(digit);
      if (event === undefined) throw new Error(`not a DTMF digit: ${digit}`);
      for (let i = 0; i < ticks; i++) {
        this.steps.push({ kind: 'tone', digit, event, first: i === 0, last: i === ticks - 1, elapsedMs: (i + 1) * this.tickMs, durationMs: ticks * this.tickMs });
      }
      for (let i = 0; i < gapTicks; i++) this.steps.push({ kind: 'gap' });
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get busy(): boolean {
    return this.steps.length > 0;
  }

  next(): DtmfStep | undefined {
    const step = this.steps.shift();
    if (!step && this.waiters.length) {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
    return step;
  }

  /** Drop what is queued (the leg went away); pending promises resolve. */
  clear(): void {
    this.steps.length = 0;
    this.next();
  }
}
