// N-party conference mixer (STYLE practice 8). Each tick: sum the talking parties into an Int32
// accumulator; every talker gets the sum minus its own voice (mix-minus) encoded with its own
// encoder; everyone else gets the full sum, encoded once per codec and shared (Asterisk softmix's
// trick: encoding dominates the cost, and most parties are silent at any moment). Join/leave
// tones are mixed in for everybody. The mixer starts no timer: the media clock or a test calls
// mixOnce().

import { createResampler, ticksPer, type CodecFactory, type Encoder, type Resampler } from '../codec-lookup.ts';
import { ToneGenerator } from '../tones/tone-generator.ts';
import { toneSpec, type ToneName } from '../tones/tone-plan.ts';
import type { MixerPort } from './mixer-port.ts';
import type { SharedSend } from '../rtp/udp-transport.ts';
import { Participant } from './participant.ts';

export interface MixerOptions {
  ptimeMs: number;
  talkThresholdDbfs: number;
  /** Play join/leave tones to the room. */
  tones: boolean;
  /** Batched sends of the shared mix (the native UDP layer has them); without, one send per listener. */
  sharedSend?: () => SharedSend;
}

interface Shared {
  encoder: Encoder;
  resampler: Resampler | undefined;
  payload: Buffer | undefined;
  batch: SharedSend | undefined;
}

export interface MixerStats {
  ticks: number;
  parties: number;
  talkers: number;
  ownEncodes: number;
  sharedEncodes: number;
  rate: number;
}

export class Mixer {
  private parties = new Map<string, Participant>();
  private rate = 8000;
  private acc = new Int32Array(160);
  private out = new Int16Array(160);
  private readonly shared = new Map<CodecFactory, Shared>();
  private readonly injected: ToneGenerator[] = [];
  private readonly toneFrame = new Int16Array(0);
  readonly stats: MixerStats = { ticks: 0, parties: 0, talkers: 0, ownEncodes: 0, sharedEncodes: 0, rate: 8000 };

  constructor(
    readonly id: string,
    private readonly opts: MixerOptions,
  ) {}

  get size(): number {
    return this.parties.size;
  }

  has(id: string): boolean {
    return this.parties.has(id);
  }

  join(port: MixerPort, muted = false): void {
    if (this.parties.has(port.id)) return;
    this.parties.set(port.id, new Participant(port, this.rate, this.frameSamples(), muted));
    this.retune();
    if (this.opts.tones) this.inject('join');
  }

  leave(id: string): boolean {
    const p = this.parties.get(id);
    if (!p) return false;
    p.close();
    this.parties.delete(id);
    this.retune();
    if (this.opts.tones && this.parties.size) this.inject('leave');
    return true;
  }

  mute(id: string, muted: boolean): boolean {
    const p = this.parties.get(id);
    if (p) p.muted = muted;
    return p !== undefined;
  }

  private frameSamples(): number {
    return Math.round((this.rate * this.opts.ptimeMs) / 1000);
  }

  private inject(name: ToneName): void {
    this.injected.push(new ToneGenerator(toneSpec(name), this.rate));
  }

  /** Mix at the highest rate any party decodes at, so a wideband party keeps its bandwidth. */
  private retune(): void {
    let rate = 8000;
    for (const p of this.parties.values()) rate = Math.max(rate, p.port.sampleRate);
    this.stats.parties = this.parties.size;
    if (rate === this.rate && this.acc.length === this.frameSamples()) return;
    this.rate = this.stats.rate = rate;
    const n = this.frameSamples();
    this.acc = new Int32Array(n);
    this.out = new Int16Array(n);
    const old = [...this.parties.values()];
    this.parties = new Map(old.map((p) => {
      p.close();
      return [p.port.id, new Participant(p.port, rate, n, p.muted)];
    }));
    for (const s of this.shared.values()) s.resampler?.close();
    this.shared.clear();
  }

  mixOnce(): void {
    this.stats.ticks++;
    const acc = this.acc;
    acc.fill(0);
    let talkers = 0;
    for (const p of this.parties.values()) {
      if (!p.classify(this.opts.talkThresholdDbfs)) continue;
      talkers++;
      const input = p.input;
      for (let i = 0; i < acc.length; i++) acc[i]! += input[i]!;
    }
    this.mixTones(acc);
    this.stats.talkers = talkers;
    for (const s of this.shared.values()) s.payload = undefined;
    for (const p of this.parties.values()) {
      if (p.talking) {
        clipInto(this.out, acc, p.input);
        p.port.sender.sendPcm(this.out, this.rate, 'mixer');
        this.stats.ownEncodes++;
      } else this.sendShared(p.port);
      p.fresh = false;
    }
    for (const s of this.shared.values()) if (s.payload && s.batch) s.batch.flush(s.payload, 0, s.payload.length);
  }

  private mixTones(acc: Int32Array): void {
    if (!this.injected.length) return;
    const frame = this.toneFrame.length === acc.length ? this.toneFrame : new Int16Array(acc.length);
    for (const gen of this.injected) {
      gen.fill(frame);
      for (let i = 0; i < acc.length; i++) acc[i]! += frame[i]!;
    }
    for (let i = this.injected.length - 1; i >= 0; i--) if (this.injected[i]!.done) this.injected.splice(i, 1);
  }

  private sendShared(port: MixerPort): void {
    const codec = port.codec;
    if (!codec) return;
    let s = this.shared.get(codec);
    if (!s) {
      s = {
        encoder: codec.createEncoder(),
        resampler: codec.info.sampleRate !== this.rate ? createResampler(this.rate, codec.info.sampleRate) : undefined,
        payload: undefined,
        batch: this.opts.sharedSend?.(),
      };
      this.shared.set(codec, s);
    }
    if (!s.payload) {
      clipInto(this.out, this.acc, undefined);
      const pcm = s.resampler ? s.resampler.process(this.out) : this.out;
      s.payload = s.encoder.encode(pcm);
      this.stats.sharedEncodes++;
    }
    const ticks = ticksPer(codec.info, this.opts.ptimeMs);
    // Staged listeners get the payload when the batch is flushed at the end of the tick.
    if (s.batch && port.sender.stageLocal?.(s.batch, s.payload.length, ticks, 'mixer')) return;
    port.sender.sendLocal(s.payload, ticks, 'mixer');
  }

  destroy(): void {
    for (const p of this.parties.values()) p.close();
    this.parties.clear();
    for (const s of this.shared.values()) {
      s.encoder.close?.();
      s.resampler?.close();
    }
    this.shared.clear();
  }
}

/** out = clip(acc - minus) */
function clipInto(out: Int16Array, acc: Int32Array, minus: Int16Array | undefined): void {
  for (let i = 0; i < out.length; i++) {
    const v = minus ? acc[i]! - minus[i]! : acc[i]!;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
}
