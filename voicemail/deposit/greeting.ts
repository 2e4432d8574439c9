// What a caller hears before the beep, chosen by the RFC 4458 cause: the owner's recorded busy or
// unavailable greeting, else a spoken default ("The person at extension 1 0 0 1 is on the phone"),
// with the owner's recorded name in place of the number when there is one (as Asterisk does).
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import { sayDigits } from '../prompts/say.ts';
import type { MailboxStore } from '../store/mailbox-store.ts';

/** 486 (busy) gets the busy greeting; no answer, unreachable, unconditional (302) and unknown causes the unavailable one. */
export function greetingKindFor(cause: number | null): 'busy' | 'unavailable' {
  return cause === 486 ? 'busy' : 'unavailable';
}

export function greetingFor(store: MailboxStore, mailbox: string, cause: number | null): { items: PlayItem[]; own: boolean } {
  const kind = greetingKindFor(cause);
  const own = store.greetingPath(mailbox, kind);
  if (own) return { items: [{ file: own }], own: true };
  const name = store.greetingPath(mailbox, 'name');
  const who = name ? [{ file: name }] : [...prompt('theperson'), ...sayDigits(mailbox)];
  return { items: [...who, ...prompt(kind === 'busy' ? 'isonphone' : 'isunavail')], own: false };
}
