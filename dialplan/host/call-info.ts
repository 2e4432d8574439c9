// What the host tells the runtime about a new call: the INVITE's facts. Copied into the sandbox,
// so it must stay plain data.
import type { Party } from '@pbx/dialplan';

export interface CallInfo {
  id: string;
  from: Party;
  to: Party;
  requestUri: string;
  /** The user part the caller dialled. */
  dialed: string;
  direction: 'internal' | 'inbound' | 'outbound';
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Host clock at the start of the call (ms since the epoch): the logical clock's first value. */
  startedAt: number;
  /** Seeds the sandbox's Math.random; derived from the call id when absent. */
  seed?: number;
}

/** A stable 32-bit seed from the call id, so a replay sees the same random numbers. */
export function seedFromId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function party(user: string, host: string, name?: string): Party {
  return name === undefined ? { user, host, uri: `sip:${user}@${host}` } : { user, host, uri: `sip:${user}@${host}`, name };
}
