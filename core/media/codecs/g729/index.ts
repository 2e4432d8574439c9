// G.729A through bcg729, present only when the addon was built with PBX_WITH_G729=1 (bcg729 is GPL-3+;
// linking it makes the addon binary GPL; see native/README.md). RTP payload type 18, 10 ms = 80 samples =
// 10 bytes, two frames per 20 ms packet. We send without Annex B VAD, so we offer annexb=no.
import type { CodecFactory, CodecInfo, Decoder, Encoder } from '../codec.ts';
import { isNativeAvailable, loadNative, type NativeEncoder, type NativeG729Decoder } from '../../native/index.ts';

export const g729Info: CodecInfo = {
  name: 'G729',
  clockRate: 8000,
  sampleRate: 8000,
  channels: 1,
  payloadType: 18,
  frameMs: 20,
  fmtp: 'annexb=no',
  priority: 50,
};

const FRAME_SAMPLES = 80;
const FRAME_BYTES = 10;

/** True when the loaded addon was built with G.729. */
export function g729Available(): boolean {
  return isNativeAvailable() && loadNative().features.g729;
}

function g729Native(): { G729Encoder: new () => NativeEncoder; G729Decoder: new () => NativeG729Decoder } {
  const native = loadNative();
  if (!native.G729Encoder || !native.G729Decoder) {
    throw new Error('G.729 is not in this build of the media addon; rebuild with PBX_WITH_G729=1 (GPL, see core/media/native/README.md)');
  }
  return { G729Encoder: native.G729Encoder, G729Decoder: native.G729Decoder };
}

class G729EncoderImpl implements Encoder {
  readonly info = g729Info;
  private readonly native = new (g729Native().G729Encoder)();

  /** pcm must be a whole number of 80-sample frames. */
  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe((pcm.length / FRAME_SAMPLES) * FRAME_BYTES);
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

class G729DecoderImpl implements Decoder {
  readonly info = g729Info;
  private readonly native = new (g729Native().G729Decoder)();

  decode(payload: Buffer): Int16Array {
    // Room for the voice frames plus a trailing 2-byte SID frame.
    const out = new Int16Array((Math.floor(payload.length / FRAME_BYTES) + 1) * FRAME_SAMPLES);
    const n = this.decodeInto(payload, out);
    return out.subarray(0, n);
  }

  decodeInto(payload: Buffer, out: Int16Array): number {
    const n = this.native.decode(payload, out);
    if (n >= 0) return n;
    const lost = Math.min(out.length, (this.info.sampleRate * this.info.frameMs) / 1000);
    this.native.decode(null, out.subarray(0, lost));
    return lost;
  }

  /** bcg729's own frame-erasure concealment, in whole 10 ms frames (rounded up, excess dropped). */
  conceal(samples: number): Int16Array {
    const out = new Int16Array(Math.ceil(samples / FRAME_SAMPLES) * FRAME_SAMPLES);
    this.native.decode(null, out);
    return out.length === samples ? out : out.slice(0, samples);
  }

  reset(): void {
    this.native.reset();
  }

  close(): void {
    this.native.close();
  }
}

export const g729: CodecFactory = {
  info: g729Info,
  createEncoder: () => new G729EncoderImpl(),
  createDecoder: () => new G729DecoderImpl(),
  available: g729Available,
};
