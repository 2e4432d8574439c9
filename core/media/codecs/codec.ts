// The codec contract the media server (legs, mixer, player, recorder) programs against.

export interface CodecInfo {
  /** SDP encoding name, e.g. 'PCMU', 'opus', 'G722'. Compare case-insensitively. */
  name: string;
  /** RTP clock rate as written in a=rtpmap (G.722 says 8000 although its audio is 16 kHz). */
  clockRate: number;
  /** PCM rate of encode input and decode output, e.g. 8000, 16000, 48000. */
  sampleRate: number;
  /** PCM channels of encode input / decode output. */
  channels: number;
  /** Channel count for a=rtpmap when it differs from `channels` (opus is always "opus/48000/2", RFC 7587). */
  sdpChannels?: number;
  /** Static RTP payload type, if the codec has one. */
  payloadType?: number;
  /** Default ptime. */
  frameMs: number;
  fmtp?: string;
  /** Higher is preferred when building an offer. */
  priority: number;
}

export interface Encoder {
  readonly info: CodecInfo;
  /** One frame at info.sampleRate → payload. An empty Buffer means "send nothing this frame" (DTX). */
  encode(pcm: Int16Array): Buffer;
  /** Zero-copy variant: writes the payload at out[offset…] and returns its length. */
  encodeInto?(pcm: Int16Array, out: Buffer, offset: number): number;
  reset?(): void;
  /** Frees native state now rather than at garbage collection. The encoder is unusable afterwards. */
  close?(): void;
}

export interface Decoder {
  readonly info: CodecInfo;
  /** Payload → PCM at info.sampleRate, in a new array the caller owns. Never throws on bad network data: a
   *  malformed payload yields concealment for one frame instead. */
  decode(payload: Buffer): Int16Array;
  /** Zero-copy variant: decodes into out and returns the sample count (out must be large enough). */
  decodeInto?(payload: Buffer, out: Int16Array): number;
  /** Packet loss concealment for one missing stretch of `samples` samples at info.sampleRate. */
  conceal(samples: number): Int16Array;
  reset?(): void;
  close?(): void;
}

export interface CodecFactory {
  info: CodecInfo;
  createEncoder(): Encoder;
  createDecoder(): Decoder;
  /** Optional codecs (G.729) exist only in some builds; absent means always available. */
  available?(): boolean;
}

/** PCM samples in one frame of `ms` (default: the codec's ptime), per channel. */
export function frameSamples(info: CodecInfo, ms: number = info.frameMs): number {
  return Math.round((info.sampleRate * ms) / 1000);
}

/** RTP timestamp increment for `ms` of audio (differs from frameSamples for G.722 and Opus below 48 kHz). */
export function rtpTicks(info: CodecInfo, ms: number = info.frameMs): number {
  return Math.round((info.clockRate * ms) / 1000);
}
