// What the caller hears when no branch answered (RFC 3261 §16.7 in spirit, phrased for a PBX).
import type { ForkResult } from './fork.ts';

/**
 * Busy wins over everything a user would not understand better: one busy phone means "busy";
 * a decline is respected; otherwise the callee simply did not answer.
 */
export function callerStatusFor(failures: readonly number[]): Extract<ForkResult, { kind: 'failed' }> {
  if (failures.some((s) => s === 600 || s === 603)) return { kind: 'failed', status: 603, reason: 'rejected' };
  if (failures.some((s) => s === 486)) return { kind: 'failed', status: 486, reason: 'busy' };
  if (failures.length > 0 && failures.every((s) => s === 408 || s === 480 || s === 487)) {
    return { kind: 'failed', status: 480, reason: 'no-answer' };
  }
  const other = failures.find((s) => s >= 400 && s !== 487);
  return { kind: 'failed', status: other ?? 480, reason: other ? 'rejected' : 'no-answer' };
}
