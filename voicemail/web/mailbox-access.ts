// The slice of the voicemail store (voicemail/store/mailbox-store.ts, MailboxStore) the web pages
// use. Every change goes through it, so the store's `changed` event (and with it the phone's
// message lamp) follows what people do on the web.
export type GreetingKind = 'busy' | 'unavailable' | 'name';

/** In the order the greetings page shows them. */
export const GREETING_KINDS: readonly GreetingKind[] = ['unavailable', 'busy', 'name'];

export function isGreetingKind(s: string): s is GreetingKind {
  return (GREETING_KINDS as readonly string[]).includes(s);
}

export interface WebMessage {
  id: string;
  mailbox: string;
  caller: string;
  callerName: string | null;
  called: string;
  cause: number | null;
  receivedAt: number;
  durationMs: number;
  heard: boolean;
}

export interface MailboxAccess {
  /** Newest first. */
  list(mailbox: string): WebMessage[];
  get(id: string): WebMessage | undefined;
  markHeard(id: string, heard?: boolean): boolean;
  delete(id: string): boolean;
  counts(mailbox: string): { newCount: number; oldCount: number };
  audioPath(id: string): string | undefined;
  greetingPath(mailbox: string, kind: GreetingKind): string | undefined;
  /** Throws an Error saying what is wrong with a file that is not a usable WAV. */
  saveGreeting(mailbox: string, kind: GreetingKind, wav: Buffer): void;
  deleteGreeting(mailbox: string, kind: GreetingKind): unknown;
}
