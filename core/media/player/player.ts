// Plays a list of prompts, tones and pauses to a leg, optionally looped (music on hold) and
// optionally stopped by the first DTMF digit (barge-in). While it plays, the leg's bridge or
// conference audio is held back (the sender ranks the player above them).

import { Phase, type MediaClock } from '../engine/media-clock.ts';
import type { Leg } from '../leg/leg.ts';
import type { ToneName } from '../tones/tone-plan.ts';
import { Event } from '../util/event.ts';
import { BufferSource, SilenceSource, ToneSource, type AudioSource } from './audio-source.ts';
import type { PromptCache } from './prompt-cache.ts';
import type { WavAudio } from './wav.ts';

export type PlayItem = { file: string } | { tone: ToneName; durationMs?: number } | { silenceMs: number };

export interface PlayOptions {
  /** true: repeat forever; a number: play the list that many times in all. */
  loop?: boolean | number;
  bargeIn?: boolean;
}

export type PlayEndReason = 'finished' | 'stopped' | 'bargeIn' | 'replaced' | 'hangup';

export interface PlayEnd {
  reason: PlayEndReason;
  digit?: string;
  playedMs: number;
}

type Prepared = { kind: 'audio'; audio: WavAudio } | { kind: 'tone'; tone: ToneName; durationMs: number | undefined } | { kind: 'silence'; ms: number };

/** Load every file first, so a missing prompt fails the request instead of a later event. */
export async function preparePlaylist(items: readonly PlayItem[], cache: PromptCache): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (const item of items) {
    if ('file' in item) out.push({ kind: 'audio', audio: await cache.load(item.file) });
    else if ('tone' in item) out.push({ kind: 'tone', tone: item.tone, durationMs: item.durationMs });
    else out.push({ kind: 'silence', ms: item.silenceMs });
  }
  return out;
}

export class Player {
  readonly ended = new Event<[PlayEnd]>();
  private index = 0;
  private round = 1;
  private source: AudioSource | undefined;
  private frame = new Int16Array(0);
  private ticks = 0;
  private offs: (() => void)[] = [];
  private running = false;

  constructor(
    readonly id: string,
    readonly leg: Leg,
    private readonly items: readonly Prepared[],
    private readonly opts: PlayOptions,
    private readonly clock: MediaClock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.leg.sender.claim('player');
    this.offs.push(this.clock.add(Phase.Output, () => this.tick()));
    this.offs.push(this.leg.closed.on(() => this.stop('hangup')));
    if (this.opts.bargeIn) this.offs.push(this.leg.digit.on((d) => this.stop('bargeIn', d.digit)));
  }

  private open(item: Prepared): AudioSource {
    // Tones and silence are generated at the leg's codec rate so no resampling is needed.
    const rate = this.leg.codec?.info.sampleRate ?? 8000;
    if (item.kind === 'audio') return new BufferSource(item.audio);
    if (item.kind === 'tone') return new ToneSource(item.tone, item.durationMs, rate);
    return new SilenceSource(item.ms, rate);
  }

  private tick(): void {
    for (let guard = 0; guard <= this.items.length; guard++) {
      if (!this.source) {
        const item = this.items[this.index];
        if (!item) return this.stop('finished');
        this.source = this.open(item);
        this.frame = new Int16Array(Math.round((this.source.rate * this.clock.tickMs) / 1000));
      }
      const n = this.source.read(this.frame);
      if (n > 0) {
        this.leg.sender.sendPcm(this.frame, this.source.rate, 'player');
        this.ticks++;
      }
      if (n < this.frame.length) this.advance();
      if (n > 0) return;
    }
  }

  private advance(): void {
    this.source = undefined;
    this.index++;
    if (this.index < this.items.length) return;
    const loop = this.opts.loop;
    if (loop === true || (typeof loop === 'number' && this.round < loop)) {
      this.round++;
      this.index = 0;
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  stop(reason: PlayEndReason, digit?: string): void {
    if (!this.running) return;
    this.running = false;
    for (const off of this.offs) off();
    this.offs = [];
    this.leg.sender.release('player');
    const end: PlayEnd = { reason, playedMs: this.ticks * this.clock.tickMs };
    if (digit !== undefined) end.digit = digit;
    this.ended.emit(end);
  }
}
