// A copy of apps/lib/ring-group.ts from the PBX's source tree, so that this folder stands on its own.
// A ring group: several extensions one after another (each with its own ringing time) or all at
// once, then a mailbox. One dial op either way, so the PBX cancels the losing legs itself.
import type { Call, DialTarget, Done, VoicemailCause } from '@pbx/dialplan';
import { afterMiss, DEFAULT_RING_SECONDS } from './extension.ts';

export interface RingGroupMember {
  extension: string;
  /** Seconds this member rings (sequential groups); the group's ringSeconds otherwise. */
  ringSeconds?: number;
}

export interface RingGroup {
  /** Rung in this order when sequential. */
  members: readonly (string | RingGroupMember)[];
  /** Default 'sequential'. */
  strategy?: 'sequential' | 'parallel';
  /** Seconds per member when sequential, for the whole group when parallel (default 20). */
  ringSeconds?: number;
  /** Where an unanswered call goes; the cause follows the failure unless fixed here. Without a
   *  mailbox the caller gets 486/480 (or a hangup once answered, e.g. from an IVR). */
  voicemail?: { mailbox: string; cause?: VoicemailCause };
}

function target(m: string | RingGroupMember): DialTarget {
  if (typeof m === 'string') return m;
  return m.ringSeconds === undefined ? m.extension : { user: m.extension, timeout: m.ringSeconds };
}

export async function ringGroup(call: Call, g: RingGroup): Promise<Done> {
  if (g.members.length === 0) throw new RangeError('ringGroup: the group has no members');
  const r = await call.dial(g.members.map(target), {
    strategy: g.strategy ?? 'sequential',
    timeout: g.ringSeconds ?? DEFAULT_RING_SECONDS,
    holdMusic: 'default',
  });
  if (r.status === 'answered') {
    call.vars['answeredBy'] = r.by;
    return call.hangup();
  }
  return afterMiss(call, r, g.voicemail?.mailbox ?? false, g.voicemail?.cause);
}
