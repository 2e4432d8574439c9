// One stored voicemail message as the flows, the web pages and MWI see it.

export interface VoicemailMessage {
  /** 32 hex digits (16 random bytes): safe to put in URLs. */
  id: string;
  mailbox: string;
  /** User part of the caller's URI (or the number a trunk sent). */
  caller: string;
  callerName: string | null;
  /** What the caller dialled (the retargeted-from user). */
  called: string;
  /** RFC 4458 cause: 486 busy, 408/480/503 unavailable, 302 unconditional; null when none was given. */
  cause: number | null;
  /** Unix ms. */
  receivedAt: number;
  durationMs: number;
  heard: boolean;
}

export type GreetingKind = 'busy' | 'unavailable' | 'name';

export const GREETING_KINDS: readonly GreetingKind[] = ['busy', 'unavailable', 'name'];
