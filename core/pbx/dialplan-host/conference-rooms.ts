// Conference rooms for the dialplan's `conference` op: who is in which room, moderators, the room
// size limit, and music for a caller who is alone. The mixing itself is the media server's
// (mix-minus, join/leave tones); a room exists there while it has members.
import type { ConferenceValue } from '../../../dialplan/host/ops.ts';
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { CallSession } from '../calls/call-session.ts';
import type { DialDeps } from '../calls/dial.ts';
import type { PlayItem } from '../calls/media-call.ts';

export interface JoinOptions {
  room: string;
  moderator: boolean;
  muted: boolean;
  waitMusic: PlayItem[] | undefined;
  maxMembers: number | null;
  endWhenModeratorLeaves: boolean;
}

interface Member {
  session: CallSession;
  moderator: boolean;
  music: PlayItem[] | undefined;
  playing: boolean;
  endWhenModeratorLeaves: boolean;
  kick(): void;
}

export class ConferenceRooms {
  readonly #rooms = new Map<string, Set<Member>>();

  constructor(
    private readonly deps: Pick<DialDeps, 'media'>,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Members per room, for status pages and tests. */
  sizes(): Record<string, number> {
    return Object.fromEntries([...this.#rooms].map(([k, v]) => [k, v.size]));
  }

  async join(session: CallSession, o: JoinOptions): Promise<ConferenceValue | 'hangup'> {
    const media = this.deps.media;
    if (!media) throw new Error('conferences need media anchoring (pbx.media.anchor)');
    const members = this.#rooms.get(o.room) ?? new Set<Member>();
    if (o.maxMembers !== null && members.size >= o.maxMembers) return { status: 'denied', reason: 'full' };
    await session.answer();
    const { legId } = await session.leg();
    if (session.isEnded) return 'hangup';
    let kicked!: () => void;
    const kickedP = new Promise<'moderator'>((r) => (kicked = () => r('moderator')));
    const me: Member = {
      session, moderator: o.moderator, music: o.waitMusic, playing: false, endWhenModeratorLeaves: o.endWhenModeratorLeaves, kick: kicked,
    };
    this.#rooms.set(o.room, members);
    members.add(me);
    const joinedAt = this.clock.now();
    try {
      await media.client.joinConference({ confId: `room:${o.room}`, legId, muted: o.muted, tones: true });
      this.log.info(`conference ${o.room}: ${session.caller} joined (${members.size} now)`);
      await this.#music(members);
      const why = await Promise.race([session.ended.then(() => 'hangup' as const), kickedP]);
      if (why === 'hangup') return 'hangup';
      return { status: 'left', seconds: Math.round((this.clock.now() - joinedAt) / 1000), endedBy: why };
    } finally {
      members.delete(me);
      if (members.size === 0) this.#rooms.delete(o.room);
      if (media.connected && session.legId) {
        if (me.playing) await session.stopPlay();
        await media.client.leaveConference(session.legId).catch(() => undefined);
      }
      this.log.info(`conference ${o.room}: ${session.caller} left (${members.size} now)`);
      if (me.moderator && ![...members].some((m) => m.moderator)) {
        for (const m of members) if (m.endWhenModeratorLeaves) m.kick();
      }
      await this.#music(members);
    }
  }

  /** Music for a lone member, silence (the mix) as soon as someone else is there. */
  async #music(members: Set<Member>): Promise<void> {
    const alone = members.size === 1;
    for (const m of members) {
      if (alone && m.music && !m.playing) {
        m.playing = true;
        await m.session.startPlay(m.music, true).catch((err: Error) => this.log.info(`conference music: ${err.message}`));
      } else if (!alone && m.playing) {
        m.playing = false;
        await m.session.stopPlay();
      }
    }
  }
}
