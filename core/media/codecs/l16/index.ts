// L16: 16-bit linear PCM in network byte order (RFC 3551 4.5.11). Dynamic payload type at 8/16 kHz; the
// static types 10/11 are 44.1 kHz, which no phone uses, so we do not list them.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { WaveformPlc } from '../plc/waveform-plc.ts';

/** Write pcm big-endian into out[offset…]; returns bytes written. */
export function l16EncodeInto(pcm: Int16Array, out: Uint8Array, offset = 0): number {
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i]!;
    out[offset + 2 * i] = (s >> 8) & 0xff;
    out[offset + 2 * i + 1] = s & 0xff;
  }
  return pcm.length * 2;
}

/** Read big-endian samples into out (a trailing odd byte is ignored); returns samples written. */
export function l16DecodeInto(payload: Uint8Array, out: Int16Array): number {
  const n = Math.min(payload.length >> 1, out.length);
  for (let i = 0; i < n; i++) out[i] = (payload[2 * i]! << 8) | payload[2 * i + 1]!;
  return n;
}

class L16Encoder implements Encoder {
  constructor(readonly info: CodecInfo) {}

  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe(pcm.length * 2);
    l16EncodeInto(pcm, out, 0);
    return out;
  }

  encodeInto(pcm: Int16Array, out: Buffer, offset: number): number {
    return l16EncodeInto(pcm, out, offset);
  }
}

class L16Decoder implements Decoder {
  private readonly plc: WaveformPlc;

  constructor(readonly info: CodecInfo) {
    this.plc = new WaveformPlc(info.sampleRate);
  }

  decode(payload: Buffer): Int16Array {
    const out = new Int16Array(payload.length >> 1);
    this.decodeInto(payload, out);
    return out;
  }

  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = l16DecodeInto(payload, out);
    this.plc.observe(out, n);
    return n;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(new Int16Array(samples));
  }

  reset(): void {
    this.plc.reset();
  }
}

/** L16 mono at `sampleRate`. 10 ms frames above 16 kHz keep a packet under a 1500-byte MTU. */
export function l16Codec(sampleRate: number, priority = 30): CodecFactory {
  const info: CodecInfo = {
    name: 'L16',
    clockRate: sampleRate,
    sampleRate,
    channels: 1,
    frameMs: sampleRate > 16000 ? 10 : 20,
    priority,
  };
  return { info, createEncoder: () => new L16Encoder(info), createDecoder: () => new L16Decoder(info) };
}

export const l16Narrow: CodecFactory = l16Codec(8000, 30);
export const l16Wide: CodecFactory = l16Codec(16000, 40);
