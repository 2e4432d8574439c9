// Ring an extension, and send the caller to its voicemail with the RFC 4458 cause when it does not
// answer. CAUSE is a Record over every failure status, so a new DialResult status fails to compile
// here instead of silently going to the wrong greeting.
import type { Call, DialResult, Done, VoicemailCause } from '@pbx/dialplan';

type Failure = Exclude<DialResult, { status: 'answered' }>['status'];

export const CAUSE: Record<Failure, VoicemailCause> = {
  busy: 486, // busy
  'no-answer': 408, // no reply
  unavailable: 503, // not registered: unreachable
  rejected: 487, // declined while ringing: deflection during alerting
  failed: 404,
};

export async function extensionWithVoicemail(call: Call, ext: string, ringSeconds = 20): Promise<Done> {
  const r = await call.dial(ext, { timeout: ringSeconds, holdMusic: 'default' });
  if (r.status === 'answered') return call.hangup(); // the bridge has ended
  call.vars['missed'] = r.status;
  call.log('to voicemail', { ext, status: r.status });
  return call.voicemail(ext, { cause: CAUSE[r.status] });
}
