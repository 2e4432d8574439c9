// A room without PINs, no wait music and its own prompts, for the tests.
import { dialplan } from '@pbx/dialplan';
import { conferenceRoom } from '../conference-room.ts';

export default dialplan((call) =>
  conferenceRoom(call, { room: 'lobby', waitMusic: null, maxMembers: 2, prompts: { full: 'lobby/full' } }),
);
