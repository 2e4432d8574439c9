// GSM 06.10 full rate through our addon over libgsm: RTP payload type 3, 160 samples <-> 33 bytes per
// 20 ms frame; a packet may carry several frames.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { WaveformPlc } from '../plc/waveform-plc.ts';
import { loadNative, type NativeDecoder, type NativeEncoder } from '../../native/index.ts';

export const gsmInfo: CodecInfo = {
  name: 'GSM',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 3,
  frameMs: 20,
  priority: 20,
};

const FRAME_SAMPLES = 160;
const FRAME_BYTES = 33;

class GsmEncoderImpl implements Encoder {
  readonly info = gsmInfo;
  private readonly native: NativeEncoder = new (loadNative().GsmEncoder)();

  /** pcm must be a whole number of 160-sample frames. */
  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe((pcm.length / FRAME_SAMPLES) * FRAME_BYTES);
    this.native.encode(pcm, out);
    return out;
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

class GsmDecoderImpl implements Decoder {
  readonly info = gsmInfo;
  private readonly native: NativeDecoder = new (loadNative().GsmDecoder)();
  private readonly plc = new WaveformPlc(gsmInfo.sampleRate);

  decode(payload: Buffer): Int16Array {
    const out = new Int16Array(Math.max(1, Math.floor(payload.length / FRAME_BYTES)) * FRAME_SAMPLES);
    this.decodeInto(payload, out);
    return out;
  }

  /** A malformed payload (not whole frames, or a frame without the 0xD signature) is concealed. */
  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = this.native.decode(payload, out);
    if (n < 0) {
      const lost = Math.min(out.length, Math.max(1, Math.floor(payload.length / FRAME_BYTES)) * FRAME_SAMPLES);
      this.plc.conceal(out.subarray(0, lost));
      return lost;
    }
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

export const gsm: CodecFactory = {
  info: gsmInfo,
  createEncoder: () => new GsmEncoderImpl(),
  createDecoder: () => new GsmDecoderImpl(),
};
