// The one place the media server reaches into the codec package (owned separately), plus the few
// derived helpers every stage needs.

export type { CodecFactory, CodecInfo, Decoder, Encoder, Resampler } from './codecs/index.ts';
export { codecs, createResampler, findCodec } from './codecs/index.ts';
import type { CodecInfo } from './codecs/index.ts';

/** Identity of a codec for pass-through decisions: same key, same bitstream. */
export function codecKey(info: CodecInfo): string {
  return `${info.name.toLowerCase()}/${info.clockRate}/${info.channels}`;
}

/** Channel count written in a=rtpmap (RFC 7587: opus is always /2). */
export function sdpChannels(info: CodecInfo): number {
  return info.sdpChannels ?? (info.name.toLowerCase() === 'opus' ? 2 : info.channels);
}

/** PCM samples per `ms` at the codec's sample rate. */
export function samplesPer(info: CodecInfo, ms: number): number {
  return Math.round((info.sampleRate * ms) / 1000);
}

/** RTP timestamp units per `ms`. */
export function ticksPer(info: CodecInfo, ms: number): number {
  return Math.round((info.clockRate * ms) / 1000);
}
