// Every live object of the media server by id, with the cross-links the operations need
// (which bridge or conference a leg is in, which player plays to it).

import type { Bridge } from '../bridge/bridge.ts';
import type { Leg } from '../leg/leg.ts';
import type { Mixer } from '../mixer/mixer.ts';
import type { Player } from '../player/player.ts';
import type { Recorder } from '../recorder/recorder.ts';
import { notFound } from '../util/media-error.ts';

export interface Conference {
  mixer: Mixer;
  untick: () => void;
}

export interface RecordingEntry {
  recorder: Recorder;
  legId?: string;
  bridgeId?: string;
}

export class Registry {
  readonly legs = new Map<string, Leg>();
  readonly bridges = new Map<string, Bridge>();
  readonly bridgeOfLeg = new Map<string, Bridge>();
  readonly conferences = new Map<string, Conference>();
  readonly confOfLeg = new Map<string, string>();
  /** At most one player per leg: a new play replaces the old. */
  readonly players = new Map<string, Player>();
  readonly recorders = new Map<string, RecordingEntry>();
  private counter = 0;

  nextId(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }

  leg(id: string): Leg {
    const leg = this.legs.get(id);
    if (!leg) throw notFound(`no leg ${id}`);
    return leg;
  }

  bridge(id: string): Bridge {
    const b = this.bridges.get(id);
    if (!b) throw notFound(`no bridge ${id}`);
    return b;
  }
}
