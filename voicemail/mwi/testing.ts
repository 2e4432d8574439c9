// An in-memory MailboxCounts for tests (and for running the PBX before a voicemail store exists).
import { Event } from '../../core/media/util/event.ts';
import type { MailboxCounts, MessageCounts } from './mailbox-counts.ts';

export class MemoryMailboxCounts implements MailboxCounts {
  readonly changed = new Event<[string]>();
  private readonly boxes = new Map<string, MessageCounts>();

  /** Mailboxes that exist, with no messages. */
  constructor(mailboxes: readonly string[] = []) {
    for (const m of mailboxes) this.boxes.set(m, { newCount: 0, oldCount: 0 });
  }

  counts(mailbox: string): MessageCounts | undefined {
    const c = this.boxes.get(mailbox);
    return c && { ...c };
  }

  /** Sets a mailbox's counts (creating it) and emits `changed`, as the store does. */
  set(mailbox: string, counts: MessageCounts): void {
    this.boxes.set(mailbox, { ...counts });
    this.changed.emit(mailbox);
  }

  remove(mailbox: string): void {
    this.boxes.delete(mailbox);
    this.changed.emit(mailbox);
  }
}
