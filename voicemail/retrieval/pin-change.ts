// Changing the voicemail PIN by phone (mailbox options 4): typed twice, checked against the same
// rule as the CLI and the HTTP API (pinSchema), stored through the user admin.
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { pinSchema } from '../../core/pbx/users/user-input.ts';
import { prompt } from '../prompts/prompts.ts';
import { askDigits, say } from './ask.ts';
import type { RetrievalDeps } from './retrieval-deps.ts';

const MAX_PIN_DIGITS = 16;

export async function changePin(call: MediaCall, mailbox: string, deps: RetrievalDeps): Promise<'hangup' | undefined> {
  const { config, log } = deps;
  const first = await askDigits(call, prompt('newpassword'), config, MAX_PIN_DIGITS);
  if (first === 'hangup') return 'hangup';
  if (!pinSchema.safeParse(first).success) return tell(call, 'invalidPassword');
  const second = await askDigits(call, prompt('reenterpassword'), config, MAX_PIN_DIGITS);
  if (second === 'hangup') return 'hangup';
  if (second !== first) return tell(call, 'mismatch');
  if (!deps.admin.update(mailbox, { voicemailPin: first })) {
    log.warn(`voicemail: PIN change for mailbox ${mailbox} failed: no such user any more (call ${call.callId})`);
    return tell(call, 'sorry');
  }
  log.notice(`voicemail: PIN of mailbox ${mailbox} changed by phone from ${call.caller} (call ${call.callId})`);
  return tell(call, 'passchanged');
}

async function tell(call: MediaCall, what: Parameters<typeof prompt>[0]): Promise<'hangup' | undefined> {
  return (await say(call, prompt(what))) === 'hangup' ? 'hangup' : undefined;
}
