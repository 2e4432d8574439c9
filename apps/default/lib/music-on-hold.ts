// A copy of apps/music-on-hold/music-on-hold.ts from the PBX's source tree, so that this folder stands on its own.
// An extension that plays music on hold until the caller hangs up: answer, an optional greeting,
// then hold with music (the media server loops it) while the dialplan waits in one-minute steps.
// The wait is bounded (maxMinutes), so a forgotten call is hung up instead of held for ever.
import type { Call, Done } from '@pbx/dialplan';
import { say, type Prompts } from './prompts.ts';

export interface MusicOnHold {
  /** The music class the media server plays (default 'default'). */
  music?: string;
  /** Played once before the music. */
  greeting?: Prompts;
  /** Hang up after this many minutes (default 60). */
  maxMinutes?: number;
}

export async function musicOnHold(call: Call, o: MusicOnHold = {}): Promise<Done> {
  await call.answer();
  await say(call, o.greeting);
  await call.hold({ music: o.music ?? 'default' });
  const minutes = Math.max(1, Math.floor(o.maxMinutes ?? 60));
  for (let i = 0; i < minutes; i++) await call.sleep(60); // a caller hangup ends this with Hangup
  call.log('music on hold: time limit reached', { minutes });
  return call.hangup();
}
