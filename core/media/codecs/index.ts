// The codecs the media server can negotiate, listed explicitly in order of preference. Importing this
// module registers nothing and loads nothing: the native addon is loaded by the first encoder or decoder
// that needs it, so a pure G.711 relay runs without the addon being built.
import type { CodecFactory } from './codec.ts';
import { g722 } from './g722/index.ts';
import { g729 } from './g729/index.ts';
import { gsm } from './gsm/index.ts';
import { l16Narrow, l16Wide } from './l16/index.ts';
import { opus } from './opus/index.ts';
import { pcma } from './pcma/index.ts';
import { pcmu } from './pcmu/index.ts';

export type { CodecFactory, CodecInfo, Decoder, Encoder } from './codec.ts';
export { frameSamples, rtpTicks } from './codec.ts';
export { createResampler, type Resampler } from './resampler.ts';

/** Always available (G.711 and L16 in TypeScript; the rest need the addon at encoder/decoder creation). */
export const codecs: readonly CodecFactory[] = [opus, g722, pcmu, pcma, l16Wide, l16Narrow, gsm];

/** Present only in some builds; check factory.available(). */
export const optionalCodecs: readonly CodecFactory[] = [g729];

/** Codec by SDP encoding name (case-insensitive, RFC 4566) and, optionally, RTP clock rate. */
export function findCodec(name: string, clockRate?: number): CodecFactory | undefined {
  const wanted = name.toLowerCase();
  const matches = (c: CodecFactory): boolean =>
    c.info.name.toLowerCase() === wanted && (clockRate === undefined || c.info.clockRate === clockRate);
  return codecs.find(matches) ?? optionalCodecs.find((c) => matches(c) && (c.available?.() ?? true));
}
