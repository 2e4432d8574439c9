// A ready-made conference room: PIN 1234 joins as a participant, 4321 as the moderator; the room
// closes when the moderator leaves; music while alone; at most 20 members.
import { dialplan } from '@pbx/dialplan';
import { conferenceRoom, type ConferenceRoom } from './conference-room.ts';

export const ROOM: ConferenceRoom = {
  room: 'conference',
  pins: { participant: '1234', moderator: '4321' },
  endWhenModeratorLeaves: true,
  waitMusic: 'default',
  maxMembers: 20,
};

export default dialplan((call) => conferenceRoom(call, ROOM));
