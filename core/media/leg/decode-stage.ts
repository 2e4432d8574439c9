// Jitter buffer → decoder (with concealment) → FIFO → one ptime of PCM per tick at the rate of
// the leg's negotiated codec. Only legs whose audio is consumed as PCM (mixing, recording,
// transcoding, in-band DTMF) run this; pure relay skips it.

import { createResampler, samplesPer, ticksPer, type CodecFactory, type Decoder } from '../codec-lookup.ts';
import { JitterBuffer } from '../jitter/jitter-buffer.ts';
import { PcmFifo } from './pcm-fifo.ts';

type Resampler = { process(input: Int16Array): Int16Array };

/** Decoded payload buffers kept for reuse per leg. */
const SPARE_MAX = 4;

export interface DecodeOptions {
  ptimeMs: number;
  jitterMinMs: number;
  jitterMaxMs: number;
}

export class DecodeStage {
  private jb: JitterBuffer | undefined;
  private main: CodecFactory | undefined;
  private byPt = new Map<number, CodecFactory>();
  private readonly decoders = new Map<CodecFactory, Decoder>();
  private readonly resamplers = new Map<CodecFactory, Resampler>();
  private lastDecoder: Decoder | undefined;
  /** Payload buffers back from the decoder, for the next packets (what the jitter buffer drops is left to GC). */
  private readonly spare: Buffer[] = [];
  private readonly fifo = new PcmFifo(4096);
  private frame = new Int16Array(0);
  /** Decoder output before it goes into the FIFO (decoders with decodeInto write here, no allocation). */
  private pcm = new Int16Array(5760);
  rate = 8000;

  constructor(private readonly opts: DecodeOptions) {}

  configure(main: CodecFactory, byPt: Map<number, CodecFactory>): void {
    this.byPt = byPt;
    if (main === this.main) return;
    this.main = main;
    this.rate = main.info.sampleRate;
    this.frame = new Int16Array(samplesPer(main.info, this.opts.ptimeMs));
    this.jb = new JitterBuffer({
      clockRate: main.info.clockRate,
      frameDuration: ticksPer(main.info, this.opts.ptimeMs),
      minDelayMs: this.opts.jitterMinMs,
      maxDelayMs: this.opts.jitterMaxMs,
    });
    this.fifo.clear();
    this.resamplers.clear();
  }

  /** Drop what is queued and start over with the next packet (a new jitter buffer, an empty FIFO). */
  reset(): void {
    const main = this.main;
    if (!main) return;
    this.main = undefined;
    this.configure(main, this.byPt);
  }

  /** Queue one payload (at `buf[offset]`, lent for this call: it is copied into a buffer of our own). */
  push(seq: number, timestamp: number, payloadType: number, buf: Uint8Array, offset: number, length: number, arrivalMs: number): void {
    const jb = this.jb;
    if (!jb) return;
    // A stream's payloads are one size (160 bytes of G.711 every 20 ms), so decoded ones are reused.
    let payload = this.spare.pop();
    if (payload?.length !== length) payload = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) payload[i] = buf[offset + i]!;
    jb.processInput({ type: 'packet', packet: { seq, timestamp, payloadType, payload }, arrivalMs });
  }

  /** One ptime of PCM at `rate`, or null while there is no stream. Valid until the next call. */
  pull(): Int16Array | null {
    const jb = this.jb;
    const main = this.main;
    if (!jb || !main) return null;
    let audio = this.fifo.length > 0;
    for (let guard = 0; this.fifo.length < this.frame.length && guard < 8; guard++) {
      const needTicks = Math.ceil(((this.frame.length - this.fifo.length) * main.info.clockRate) / main.info.sampleRate);
      for (const out of jb.processInput({ type: 'pull', duration: needTicks })) {
        const samples = Math.round((out.duration * main.info.sampleRate) / main.info.clockRate);
        if (out.type === 'packet') {
          const payload = out.packet.payload;
          this.decodeIntoFifo(out.packet.payloadType, payload);
          if (this.spare.length < SPARE_MAX) this.spare.push(payload);
          audio = true;
        } else if (out.type === 'conceal') {
          this.fifo.push(this.lastDecoder ? this.lastDecoder.conceal(samples) : new Int16Array(samples));
          audio = true;
        } else {
          this.fifo.pushSilence(samples);
        }
      }
    }
    if (!audio) {
      this.fifo.clear();
      return null;
    }
    this.fifo.shift(this.frame);
    return this.frame;
  }

  private decodeIntoFifo(pt: number, payload: Buffer): void {
    const codec = this.byPt.get(pt) ?? this.main!;
    let dec = this.decoders.get(codec);
    if (!dec) this.decoders.set(codec, (dec = codec.createDecoder()));
    this.lastDecoder = dec;
    // Straight into a reused array when it surely fits: no codec we carry expands a byte into more than
    // 8 samples (G.729: 10 bytes → 80), and Opus never decodes more than 120 ms (5760 samples).
    const direct = codec.info.sampleRate === this.rate && dec.decodeInto !== undefined && payload.length * 8 <= this.pcm.length;
    if (direct) {
      this.fifo.push(this.pcm, dec.decodeInto!(payload, this.pcm));
      return;
    }
    const pcm = dec.decode(payload);
    if (codec.info.sampleRate === this.rate) {
      this.fifo.push(pcm);
      return;
    }
    let r = this.resamplers.get(codec);
    if (!r) this.resamplers.set(codec, (r = createResampler(codec.info.sampleRate, this.rate)));
    this.fifo.push(r.process(pcm));
  }

  stats(): Record<string, number> {
    return this.jb?.toJSON() ?? {};
  }

  close(): void {
    for (const d of this.decoders.values()) d.close?.();
    this.decoders.clear();
  }
}
