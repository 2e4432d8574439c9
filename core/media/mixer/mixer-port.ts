// What the mixer needs from a leg (a Leg satisfies it; tests pass fakes and call mixOnce()).

import type { CodecFactory } from '../codec-lookup.ts';
import type { OutputSource } from '../leg/leg-sender.ts';
import type { PcmTap } from '../leg/leg.ts';

export interface MixerPort {
  readonly id: string;
  readonly sampleRate: number;
  readonly codec: CodecFactory | undefined;
  addTap(tap: PcmTap): () => void;
  readonly sender: {
    sendPcm(pcm: Int16Array, rate: number, source: OutputSource): void;
    sendLocal(payload: Buffer, durationTicks: number, source: OutputSource): void;
  };
}
