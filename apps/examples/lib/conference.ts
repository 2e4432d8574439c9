// A PIN-protected conference room: 4711 joins as a participant, 9999 as the moderator (the room
// closes when the moderator leaves). Three tries, then a goodbye.
import type { Call, Done } from '@pbx/dialplan';

export const PARTICIPANT_PIN = '4711';
export const MODERATOR_PIN = '9999';

export async function conferenceRoom(call: Call, room: string): Promise<Done> {
  await call.answer();
  const pin = await call.collect({
    prompt: 'conf/enter-pin',
    max: 6,
    min: 4,
    timeout: 10,
    attempts: 3,
    invalidPrompt: 'conf/bad-pin',
    valid: new RegExp(`^(${PARTICIPANT_PIN}|${MODERATOR_PIN})$`),
  });
  if (!pin.ok) {
    call.log('conference PIN refused', { reason: pin.reason });
    await call.play('conf/goodbye');
    return call.hangup();
  }
  const moderator = pin.digits === MODERATOR_PIN;
  const r = await call.conference(`room-${room}`, { moderator, waitMusic: 'default', endWhenModeratorLeaves: true, maxMembers: 20 });
  call.vars['conference'] = r.status === 'left' ? `left after ${r.seconds}s (${r.endedBy})` : `denied: ${r.reason}`;
  if (r.status === 'denied') await call.play('conf/full');
  return call.hangup();
}
