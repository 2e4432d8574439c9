// Ringing one extension, and what a missed call becomes: the extension's mailbox, retargeted with the
// RFC 4458 cause that makes the voicemail service pick the busy or the unavailable greeting.
import type { Call, DialResult, Done, RejectCode, VoicemailCause } from '@pbx/dialplan';

export type Miss = Exclude<DialResult, { status: 'answered' }>;

/** RFC 4458 §3.4 causes. A Record over every failure status, so a new DialResult status does not
 *  compile until someone decides its greeting. */
export const MISS_CAUSE: Record<Miss['status'], VoicemailCause> = {
  busy: 486, // user busy
  'no-answer': 408, // no reply
  unavailable: 480, // not registered: "deflection immediate response" in RFC 4458 terms
  rejected: 487, // declined while ringing: "deflection during alerting"
  failed: 480,
};

export const DEFAULT_RING_SECONDS = 20;

export interface ExtensionOptions {
  /** Seconds of ringing before the call counts as not answered (default 20). */
  ringSeconds?: number;
  /** Mailbox for a missed call: the extension's own by default; false for none. */
  mailbox?: string | false;
  /** Music for whichever side is put on hold during the call (default 'default'). */
  holdMusic?: string | false;
}

/** The PBX answers a dial to a number that is no user with 404 (the router's "Not Found"). */
export function isUnknownExtension(r: DialResult): boolean {
  return r.status !== 'answered' && 'sipCode' in r && r.sipCode === 404;
}

/** Rings `ext`, then voicemail on a miss. null: no such extension, and nothing was done to the call,
 *  so the caller decides (a 404 from a plain dial, "not a valid extension" in an IVR). */
export async function callExtension(call: Call, ext: string, o: ExtensionOptions = {}): Promise<Done | null> {
  const r = await call.dial(ext, { timeout: o.ringSeconds ?? DEFAULT_RING_SECONDS, holdMusic: o.holdMusic ?? 'default' });
  if (r.status === 'answered') return call.hangup(); // the bridge has ended
  if (isUnknownExtension(r)) return null;
  return afterMiss(call, r, o.mailbox ?? ext);
}

/** Voicemail with the cause for `r` (or a fixed one); without a mailbox, what the phone said. */
export function afterMiss(call: Call, r: Miss, mailbox: string | false, cause?: VoicemailCause): Promise<Done> {
  call.vars['missed'] = r.status;
  call.log('missed', { status: r.status, mailbox });
  if (mailbox !== false) return call.voicemail(mailbox, { cause: cause ?? MISS_CAUSE[r.status] });
  return giveUp(call, r.status === 'busy' ? 486 : 480);
}

/** Ends a call that cannot be connected: a SIP status while it is unanswered, a hangup after. */
export function giveUp(call: Call, code: RejectCode): Promise<Done> {
  return call.answered ? call.hangup() : call.reject(code);
}
