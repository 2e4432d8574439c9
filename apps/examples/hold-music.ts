// The support queue (hold with music) as a dialplan of its own.
import { dialplan } from '@pbx/dialplan';
import { supportQueue } from './lib/support-queue.ts';

export default dialplan((call) => supportQueue(call));
