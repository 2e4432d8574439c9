// A small office on one dialplan: extensions 1000-1099 with voicemail on busy and no answer, the
// sales group on 2000, the support queue (hold with music) on 7000, a PIN conference on 8000, the
// main number with office hours and an after-hours IVR, and outbound calls via the carrier.
import { dialplan, inRange, pattern } from '@pbx/dialplan';
import { conferenceRoom } from './lib/conference.ts';
import { mainNumber } from './lib/reception.ts';
import { salesGroup } from './lib/sales.ts';
import { supportQueue } from './lib/support-queue.ts';
import { extensionWithVoicemail } from './lib/voicemail.ts';

export const MAIN_DID = '+493012345600';
const DID_BLOCK = '+49301234'; // +49 30 1234-1000 … -1099 reach the extensions directly
const NATIONAL = pattern('_0N.'); // 0 + area code + number, as dialled from a desk phone

export default dialplan(async (call) => {
  const d = call.dialed;
  if (call.direction === 'inbound') {
    if (d === MAIN_DID) return mainNumber(call);
    if (d.startsWith(DID_BLOCK) && inRange(d.slice(DID_BLOCK.length), 1000, 1099)) return extensionWithVoicemail(call, d.slice(DID_BLOCK.length));
    return call.reject(404);
  }
  if (inRange(d, 1000, 1099)) return extensionWithVoicemail(call, d);
  if (d === '2000') return salesGroup(call);
  if (d === '7000') return supportQueue(call);
  if (d === '8000') return conferenceRoom(call, d);
  if (NATIONAL.test(d)) {
    const r = await call.dial({ number: '+49' + d.slice(1), trunk: 'carrier' }, { timeout: 60, callerId: { number: MAIN_DID } });
    return r.status === 'answered' ? call.hangup() : call.reject(r.status === 'busy' ? 486 : 480);
  }
  return call.reject(404);
});
