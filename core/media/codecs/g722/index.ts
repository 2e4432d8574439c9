// G.722 at 64 kbit/s through our addon over spandsp. RTP payload type 9 with an 8000 clock although the
// audio is 16 kHz (RFC 3551 4.5.2 keeps the original error for compatibility): 20 ms is 320 samples,
// 160 bytes and 160 timestamp ticks.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { WaveformPlc } from '../plc/waveform-plc.ts';
import { loadNative, type NativeDecoder, type NativeEncoder } from '../../native/index.ts';

export const g722Info: CodecInfo = {
  name: 'G722',
  clockRate: 8000,
  sampleRate: 16000,
  channels: 1,
  payloadType: 9,
  frameMs: 20,
  priority: 90,
};

class G722EncoderImpl implements Encoder {
  readonly info = g722Info;
  private readonly native: NativeEncoder = new (loadNative().G722Encoder)();

  encode(pcm: Int16Array): Buffer {
    // Two samples per byte at 64 kbit/s.
    const out = Buffer.allocUnsafe(pcm.length >> 1);
    const n = this.native.encode(pcm, out);
    return n === out.length ? out : out.subarray(0, n);
  }

  encodeInto(pcm: Int16Array, out: Buffer, offset: number): number {
    return this.native.encode(pcm, offset === 0 ? out : out.subarray(offset));
  }

  reset(): void {
    this.native.reset();
  }

  close(): void {
    this.native.close();
  }
}

class G722DecoderImpl implements Decoder {
  readonly info = g722Info;
  private readonly native: NativeDecoder = new (loadNative().G722Decoder)();
  private readonly plc = new WaveformPlc(g722Info.sampleRate);

  decode(payload: Buffer): Int16Array {
    const out = new Int16Array(payload.length * 2);
    const n = this.decodeInto(payload, out);
    return n === out.length ? out : out.subarray(0, n);
  }

  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = this.native.decode(payload, out);
    this.plc.observe(out, n);
    return n;
  }

  conceal(samples: number): Int16Array {
    return this.plc.conceal(new Int16Array(samples));
  }

  reset(): void {
    this.native.reset();
    this.plc.reset();
  }

  close(): void {
    this.native.close();
  }
}

export const g722: CodecFactory = {
  info: g722Info,
  createEncoder: () => new G722EncoderImpl(),
  createDecoder: () => new G722DecoderImpl(),
};
