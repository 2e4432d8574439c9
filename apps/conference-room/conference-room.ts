// A conference room: an optional participant PIN and moderator PIN (asked once, up to pinAttempts
// times), music while the caller is alone, a member limit, and a clear message when the PIN is
// wrong, the room is full or the moderator ended it. Join and leave tones come from the media server.
import type { Call, Done, Prompt } from '@pbx/dialplan';
import { promptList, say, type Prompts } from '../lib/prompts.ts';

export interface ConferenceRoom {
  /** The media server's room name; callers with the same name meet. */
  room: string;
  /** Without pins anyone who reaches the room joins as a participant. */
  pins?: { participant: string; moderator?: string };
  /** Tries at the PIN before the caller is sent off (default 3). */
  pinAttempts?: number;
  /** Seconds to wait for the first digit of a PIN (default 10). */
  pinTimeout?: number;
  /** Participants leave when the (last) moderator leaves (default false). */
  endWhenModeratorLeaves?: boolean;
  /** Music while the caller is alone in the room (default 'default'; null for silence). */
  waitMusic?: string | null;
  maxMembers?: number;
  prompts?: Partial<ConferencePrompts>;
}

export interface ConferencePrompts {
  enterPin: Prompts;
  /** Before the next try (the SDK's collect takes one prompt here). */
  wrongPin: Prompt;
  /** After the last wrong PIN, before the hangup. */
  denied: Prompts;
  full: Prompts;
  /** For participants still in the room when the moderator ended it. */
  moderatorLeft: Prompts;
}

/** Asterisk's core English prompts (asterisk-core-sounds-en). */
export const CONFERENCE_PROMPTS: ConferencePrompts = {
  enterPin: 'conf-getpin',
  wrongPin: 'conf-invalidpin',
  denied: ['confbridge-pin-bad', 'goodbye'],
  full: ['conf-full', 'goodbye'],
  moderatorLeft: ['conf-leaderhasleft', 'goodbye'],
};

export async function conferenceRoom(call: Call, c: ConferenceRoom): Promise<Done> {
  const prompts = { ...CONFERENCE_PROMPTS, ...c.prompts };
  let moderator = false;
  if (c.pins) {
    const pin = await askPin(call, c.pins, c, prompts);
    if (pin === null) {
      call.vars['conference'] = 'denied: pin';
      await say(call, prompts.denied);
      return call.hangup();
    }
    moderator = pin === c.pins.moderator;
  }
  const r = await call.conference(c.room, {
    moderator,
    waitMusic: c.waitMusic === null ? undefined : (c.waitMusic ?? 'default'),
    endWhenModeratorLeaves: c.endWhenModeratorLeaves ?? false,
    ...(c.maxMembers !== undefined && { maxMembers: c.maxMembers }),
  });
  if (r.status === 'denied') {
    call.vars['conference'] = `denied: ${r.reason}`;
    await say(call, r.reason === 'full' ? prompts.full : prompts.denied);
    return call.hangup();
  }
  call.vars['conference'] = `${moderator ? 'moderator' : 'participant'}, ${r.seconds}s, ended by ${r.endedBy}`;
  if (r.endedBy === 'moderator') await say(call, prompts.moderatorLeft);
  return call.hangup();
}

/** The PIN the caller entered ('#' ends it early), or null when every attempt failed. */
async function askPin(call: Call, pins: NonNullable<ConferenceRoom['pins']>, c: ConferenceRoom, p: ConferencePrompts): Promise<string | null> {
  const valid = [pins.participant, ...(pins.moderator === undefined ? [] : [pins.moderator])];
  const r = await call.collect({
    prompt: promptList(p.enterPin),
    max: Math.max(...valid.map((v) => v.length)),
    min: 1,
    timeout: c.pinTimeout ?? 10,
    terminators: '#',
    attempts: c.pinAttempts ?? 3,
    invalidPrompt: p.wrongPin,
    valid: new RegExp(`^(?:${valid.map(escapeRegExp).join('|')})$`),
  });
  return r.ok ? r.digits : null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
