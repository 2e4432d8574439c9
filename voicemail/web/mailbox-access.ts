// The slice of the voicemail store (voicemail/store/mailbox-store.ts, MailboxStore) the web pages
// use. Every change goes through it, so the store's `changed` event (and with it the phone's
// message lamp) follows what people do on the web.
import { GREETING_KINDS as STORE_KINDS, type GreetingKind, type VoicemailMessage } from '../store/voicemail-message.ts';

export type { GreetingKind };

/** In the order the greetings page shows them. */
export const GREETING_KINDS: readonly GreetingKind[] = ['unavailable', 'busy', 'name'];

export function isGreetingKind(s: string): s is GreetingKind {
  return (STORE_KINDS as readonly string[]).includes(s);
}

/** A message as the pages show it: the store's own record. */
export type WebMessage = VoicemailMessage;

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
