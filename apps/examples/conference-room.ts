// The PIN-protected conference as a dialplan of its own: the dialled number names the room.
import { dialplan } from '@pbx/dialplan';
import { conferenceRoom } from './lib/conference.ts';

export default dialplan((call) => conferenceRoom(call, call.dialed));
