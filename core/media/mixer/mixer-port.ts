// What the mixer needs from a leg (a Leg satisfies it; tests pass fakes and call mixOnce()).

import type { CodecFactory } from '../codec-lookup.ts';
import type { OutputSource } from '../leg/leg-sender.ts';
import type { PcmTap } from '../leg/leg.ts';
import type { SharedSend } from '../rtp/udp-transport.ts';

export interface MixerPort {
  readonly id: string;
  readonly sampleRate: number;
  readonly codec: CodecFactory | undefined;
  /** talkOnly: the mixer needs the audio only while the party is above the talk threshold. */
  addTap(tap: PcmTap, talkOnly?: boolean): () => void;
  readonly sender: {
    sendPcm(pcm: Int16Array, rate: number, source: OutputSource): void;
    sendLocal(payload: Buffer, durationTicks: number, source: OutputSource): void;
    /** Optional: stage the shared payload in a batch (false: use sendLocal). */
    stageLocal?(batch: SharedSend, payloadLength: number, durationTicks: number, source: OutputSource): boolean;
  };
}
