// The `message-summary` event package's body (RFC 3842 §3.5): whether messages wait, for which
// account, and the voice-message counts as new/old.
import type { MessageCounts } from './mailbox-counts.ts';

export const MESSAGE_SUMMARY_EVENT = 'message-summary';
export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

export function messageSummary(account: string, counts: MessageCounts): string {
  return [
    `Messages-Waiting: ${counts.newCount > 0 ? 'yes' : 'no'}`,
    `Message-Account: ${account}`,
    `Voice-Message: ${counts.newCount}/${counts.oldCount}`,
    '',
  ].join('\r\n');
}

/** The package an Event header names (`message-summary;id=7` → `message-summary`), lower-cased. */
export function eventPackage(event: string | undefined): string | undefined {
  const name = event?.split(';')[0]?.trim().toLowerCase();
  return name || undefined;
}

/** RFC 3842: no Accept means our type; otherwise it (or a wildcard covering it) must be listed. */
export function acceptsSummary(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept
    .split(',')
    .map((t) => t.split(';')[0]!.trim().toLowerCase())
    .some((t) => t === MESSAGE_SUMMARY_TYPE || t === 'application/*' || t === '*/*');
}
