// What every operation handler gets: configuration, clocks, ports, the registry, the prompt
// cache and the event sink.

import type { MediaConfig } from '../config.ts';
import type { MediaEvent } from '../control/protocol.ts';
import type { PromptCache } from '../player/prompt-cache.ts';
import type { PortAllocator } from '../rtp/port-allocator.ts';
import type { SharedSend } from '../rtp/udp-transport.ts';
import type { Clock } from '../util/clock.ts';
import type { MediaClock } from './media-clock.ts';
import type { Registry } from './registry.ts';

export interface EngineContext {
  config: MediaConfig;
  clock: Clock;
  mediaClock: MediaClock;
  allocator: PortAllocator;
  registry: Registry;
  prompts: PromptCache;
  /** Batched sends of one payload to many legs, where the UDP layer has them. */
  sharedSend?: () => SharedSend;
  emit(event: MediaEvent): void;
}

/** Helper to build a typed event without repeating the discriminant. */
export function event<K extends MediaEvent['event']>(name: K, data: Extract<MediaEvent, { event: K }>['data']): MediaEvent {
  return { type: 'event', event: name, data } as MediaEvent;
}
