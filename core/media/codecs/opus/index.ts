// Opus (RFC 6716 / RTP: RFC 7587) through our addon over libopus. The RTP clock is always 48000 and the SDP
// always says "opus/48000/2"; the PCM rate we encode and decode at is a local choice (libopus resamples
// internally). The listed default runs at 16 kHz, complexity 5: wideband voice at about half the CPU of
// 48 kHz (see shared/research/media.md 3a); use opusCodec({ sampleRate: 48000 }) for WebRTC peers.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { loadNative, type NativeOpusDecoder, type NativeOpusEncoder, type OpusApplication } from '../../native/index.ts';

export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

export interface OpusOptions {
  sampleRate?: OpusSampleRate;
  /** 0..10; default 5. Encode cost roughly halves from 10 to 5. */
  complexity?: number;
  /** Bits per second; -1 (default) lets libopus choose. */
  bitrate?: number;
  /** In-band FEC in what we send (default true); libopus spends bits on it only when packetLossPercent > 0. */
  fec?: boolean;
  packetLossPercent?: number;
  /** Discontinuous transmission: encode() returns an empty Buffer for frames that need not be sent. */
  dtx?: boolean;
  application?: OpusApplication;
  frameMs?: number;
  priority?: number;
}

/** Longest Opus packet duration (120 ms), which bounds one decode. */
const MAX_PACKET_MS = 120;
const MAX_PACKET_BYTES = 1500;

class OpusEncoderImpl implements Encoder {
  private readonly native: NativeOpusEncoder;
  private readonly scratch = Buffer.alloc(MAX_PACKET_BYTES);

  constructor(
    readonly info: CodecInfo,
    private readonly options: Required<Omit<OpusOptions, 'frameMs' | 'priority'>>,
  ) {
    this.native = new (loadNative().OpusEncoder)(info.sampleRate, info.channels, options.application);
    this.configure();
  }

  private configure(): void {
    const o = this.options;
    this.native.setComplexity(o.complexity);
    this.native.setBitrate(o.bitrate);
    this.native.setInbandFec(o.fec);
    this.native.setPacketLossPercent(o.fec ? o.packetLossPercent : 0);
    this.native.setDtx(o.dtx);
  }

  encode(pcm: Int16Array): Buffer {
    const n = this.encodeInto(pcm, this.scratch, 0);
    const out = Buffer.allocUnsafe(n);
    this.scratch.copy(out, 0, 0, n);
    return out;
  }

  /** Give out room for a whole packet (1275 bytes): libopus takes the space it is given as a size cap. */
  encodeInto(pcm: Int16Array, out: Buffer, offset: number): number {
    const n = this.native.encode(pcm, offset === 0 ? out : out.subarray(offset));
    // RFC 6716 / libopus: a packet of 2 bytes or less under DTX carries nothing worth sending.
    return this.options.dtx && n <= 2 ? 0 : n;
  }

  reset(): void {
    this.native.reset();
  }

  close(): void {
    this.native.close();
  }
}

export class OpusDecoderImpl implements Decoder {
  private readonly native: NativeOpusDecoder;
  private readonly scratch: Int16Array;
  /** Opus PLC and FEC work in multiples of 2.5 ms. */
  private readonly quantum: number;

  constructor(readonly info: CodecInfo) {
    this.native = new (loadNative().OpusDecoder)(info.sampleRate, info.channels);
    this.scratch = new Int16Array(((info.sampleRate * MAX_PACKET_MS) / 1000) * info.channels);
    this.quantum = info.sampleRate / 400;
  }

  decode(payload: Buffer): Int16Array {
    const n = this.native.decode(payload, this.scratch);
    if (n < 0) return this.conceal(this.info.sampleRate * (this.info.frameMs / 1000));
    return this.scratch.slice(0, n * this.info.channels);
  }

  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = this.native.decode(payload, out);
    if (n >= 0) return n * this.info.channels;
    const lost = Math.min(out.length, this.info.sampleRate * (this.info.frameMs / 1000));
    out.set(this.conceal(lost));
    return lost;
  }

  /** Opus's own PLC. Missing stretches that are not whole 2.5 ms are rounded up and the excess dropped. */
  conceal(samples: number): Int16Array {
    const out = new Int16Array(samples * this.info.channels);
    const maxChunk = this.scratch.length / this.info.channels;
    for (let done = 0; done < samples; ) {
      const want = Math.min(maxChunk, Math.ceil((samples - done) / this.quantum) * this.quantum);
      const n = this.native.decode(null, this.scratch.subarray(0, want * this.info.channels));
      const take = Math.min(n, samples - done);
      out.set(this.scratch.subarray(0, take * this.info.channels), done * this.info.channels);
      done += take;
    }
    return out;
  }

  /** Rebuild a lost frame of `samples` from the FEC data in the packet that followed it (RFC 7587 3.3).
   *  Call before decode(next) for that same next packet. Falls back to PLC if next carries no FEC. */
  decodeFec(next: Buffer, samples: number): Int16Array {
    const out = new Int16Array(samples * this.info.channels);
    const n = this.native.decode(next, out, true);
    return n < 0 ? this.conceal(samples) : out;
  }

  /** Samples per channel that `payload` decodes to, or -1 if it is not a valid Opus packet. */
  packetSamples(payload: Buffer): number {
    return this.native.packetSamples(payload);
  }

  reset(): void {
    this.native.reset();
  }

  close(): void {
    this.native.close();
  }
}

function opusFmtp(sampleRate: number): string {
  // Tell the far end not to spend bits above what we decode at (RFC 7587 7.1).
  const limit = sampleRate < 48000 ? `maxplaybackrate=${sampleRate};sprop-maxcapturerate=${sampleRate};` : '';
  return `${limit}minptime=10;useinbandfec=1`;
}

export function opusCodec(options: OpusOptions = {}): CodecFactory {
  const sampleRate = options.sampleRate ?? 16000;
  const info: CodecInfo = {
    name: 'opus',
    clockRate: 48000,
    sampleRate,
    channels: 1,
    sdpChannels: 2,
    frameMs: options.frameMs ?? 20,
    fmtp: opusFmtp(sampleRate),
    priority: options.priority ?? 100,
  };
  const encoderOptions = {
    sampleRate,
    complexity: options.complexity ?? 5,
    bitrate: options.bitrate ?? -1,
    fec: options.fec ?? true,
    packetLossPercent: options.packetLossPercent ?? 5,
    dtx: options.dtx ?? false,
    application: options.application ?? 'voip',
  };
  return {
    info,
    createEncoder: () => new OpusEncoderImpl(info, encoderOptions),
    createDecoder: () => new OpusDecoderImpl(info),
  };
}

export const opus: CodecFactory = opusCodec();
