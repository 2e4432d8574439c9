// How long a subscription runs (RFC 6665 §4.2.1.1, §3.1.1): the notifier may shorten what the
// subscriber asks for, never lengthen it, and refuses too short an interval with 423.
import { SipError } from '../../core/pbx/sip/sip-error.ts';

export interface ExpiryPolicy {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
}

/**
 * Seconds granted for a SUBSCRIBE's Expires value: the default when there is none, cut to the
 * maximum; 0 stays 0 (an unsubscribe, or a fetch of the current state on a new subscription).
 */
export function grantExpires(header: string | undefined, policy: ExpiryPolicy): number {
  if (header === undefined || header.trim() === '') return policy.defaultExpires;
  if (!/^\s*\d+\s*$/.test(header)) throw new SipError(400, 'Malformed Expires');
  const asked = Number(header);
  if (asked === 0) return 0;
  if (asked < policy.minExpires) throw new SipError(423, 'Interval Too Brief', { 'Min-Expires': String(policy.minExpires) });
  return Math.min(asked, policy.maxExpires);
}
