// What MWI needs from the voicemail store: a mailbox's message counts and word of every change.
// voicemail/store's MailboxStore fits as it is; tests use MemoryMailboxCounts from ./testing.ts.

export interface MessageCounts {
  newCount: number;
  oldCount: number;
}

export interface MailboxCounts {
  /** undefined: there is no such mailbox (a SUBSCRIBE to it gets 404 and nothing is sent for it). */
  counts(mailbox: string): MessageCounts | undefined;
  /** Emits the mailbox whose messages changed (new, heard, deleted). */
  readonly changed: { on(listener: (mailbox: string) => void): () => unknown };
}

/** Until a voicemail store is plugged in: every mailbox is unknown. */
export const NO_MAILBOXES: MailboxCounts = {
  counts: () => undefined,
  changed: { on: () => () => undefined },
};
