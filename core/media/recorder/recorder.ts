// Records one leg (what its phone sends) or a bridge (both legs mixed) to a WAV file at a fixed
// rate. Stops on request, at the maximum length, after a stretch of silence (trimmed off the
// file), or when a leg goes away. An optional beep is played to the legs before recording starts.

import { createResampler, type Resampler } from '../codec-lookup.ts';
import { Phase, type MediaClock } from '../engine/media-clock.ts';
import type { Leg } from '../leg/leg.ts';
import { Player } from '../player/player.ts';
import { Event } from '../util/event.ts';
import { rmsLevel } from '../codecs/dsp/goertzel.ts';
import type { WavWriter } from './wav-writer.ts';

export interface RecordOptions {
  maxMs?: number;
  /** Stop after this much continuous silence (0/undefined: never). */
  silenceMs?: number;
  beep?: boolean;
}

export type RecordEndReason = 'stopped' | 'maxDuration' | 'silence' | 'hangup' | 'error';

export interface RecordEnd {
  path: string;
  durationMs: number;
  reason: RecordEndReason;
  error?: string;
}

interface Input {
  leg: Leg;
  frame: Int16Array;
  fresh: boolean;
  resampler: Resampler | undefined;
}

export class Recorder {
  readonly ended = new Event<[RecordEnd]>();
  private readonly inputs: Input[];
  private readonly mix: Int16Array;
  private readonly offs: (() => void)[] = [];
  private silentSamples = 0;
  private lastFlushTick = 0;
  private ticks = 0;
  private state: 'beep' | 'recording' | 'done' = 'recording';
  private beepPlayers: Player[] = [];

  constructor(
    readonly id: string,
    legs: readonly Leg[],
    readonly path: string,
    private readonly writer: WavWriter,
    private readonly opts: RecordOptions,
    private readonly clock: MediaClock,
    private readonly tuning: { silenceThresholdDbfs: number; flushMs: number },
  ) {
    const n = Math.round((writer.rate * clock.tickMs) / 1000);
    this.mix = new Int16Array(n);
    this.inputs = legs.map((leg) => ({ leg, frame: new Int16Array(n), fresh: false, resampler: undefined }));
  }

  start(): void {
    for (const input of this.inputs) {
      this.offs.push(input.leg.addTap((pcm, rate) => this.onFrame(input, pcm, rate)));
      this.offs.push(input.leg.closed.on(() => void this.stop('hangup')));
    }
    this.offs.push(this.clock.add(Phase.Mix, () => this.tick()));
    if (this.opts.beep) {
      this.state = 'beep';
      this.beepPlayers = this.inputs.map((i, n) => new Player(`${this.id}-beep${n}`, i.leg, [{ kind: 'tone', tone: 'record-beep', durationMs: undefined }], {}, this.clock));
      let left = this.beepPlayers.length;
      for (const p of this.beepPlayers) {
        p.ended.on(() => {
          if (--left === 0 && this.state === 'beep') this.state = 'recording';
        });
        p.start();
      }
    }
  }

  private onFrame(input: Input, pcm: Int16Array | null, rate: number): void {
    if (!pcm) return;
    let frame = pcm;
    if (rate !== this.writer.rate) {
      if (!input.resampler || input.resampler.fromRate !== rate) input.resampler = createResampler(rate, this.writer.rate);
      frame = input.resampler.process(pcm);
    }
    input.frame.set(frame.subarray(0, input.frame.length));
    if (frame.length < input.frame.length) input.frame.fill(0, frame.length);
    input.fresh = true;
  }

  private tick(): void {
    if (this.state !== 'recording') {
      for (const i of this.inputs) i.fresh = false;
      return;
    }
    // Sum the legs that produced audio this tick; absent legs are silence, so time keeps running.
    this.mix.fill(0);
    for (const input of this.inputs) {
      if (!input.fresh) continue;
      for (let k = 0; k < this.mix.length; k++) {
        const v = this.mix[k]! + input.frame[k]!;
        this.mix[k] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      input.fresh = false;
    }
    this.writer.append(this.mix);
    this.ticks++;
    const elapsedMs = this.ticks * this.clock.tickMs;
    if (rmsLevel(this.mix) < this.tuning.silenceThresholdDbfs) this.silentSamples += this.mix.length;
    else this.silentSamples = 0;
    if (elapsedMs - this.lastFlushTick * this.clock.tickMs >= this.tuning.flushMs) {
      this.lastFlushTick = this.ticks;
      void this.writer.flush();
    }
    if (this.opts.maxMs && elapsedMs >= this.opts.maxMs) void this.stop('maxDuration');
    else if (this.opts.silenceMs && (this.silentSamples * 1000) / this.writer.rate >= this.opts.silenceMs) void this.stop('silence');
  }

  get active(): boolean {
    return this.state !== 'done';
  }

  private result: Promise<RecordEnd> | undefined;

  /** Stop and finish the file; later calls get the first call's outcome. */
  stop(reason: RecordEndReason): Promise<RecordEnd> {
    this.result ??= this.finish(reason);
    return this.result;
  }

  private async finish(reason: RecordEndReason): Promise<RecordEnd> {
    this.state = 'done';
    for (const off of this.offs) off();
    for (const p of this.beepPlayers) p.stop('stopped');
    if (reason === 'silence') this.writer.truncate(this.writer.samples - this.silentSamples);
    const end: RecordEnd = { path: this.path, durationMs: 0, reason };
    try {
      await this.writer.close();
    } catch (err) {
      end.reason = 'error';
      end.error = (err as Error).message;
    }
    end.durationMs = Math.round((this.writer.samples * 1000) / this.writer.rate);
    this.ended.emit(end);
    return end;
  }
}
