// Mailbox login: *97 knows the mailbox (the caller's own extension) and asks the PIN; *98 asks
// the mailbox number first. Each failure costs one of voicemail.maxPinAttempts and is logged
// (for fail2ban and the owner); an unknown mailbox is answered exactly like a wrong PIN.
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import { isMailboxName } from '../store/mailbox-name.ts';
import { askDigits } from './ask.ts';
import type { RetrievalDeps, RetrievalRequest } from './retrieval-deps.ts';

/** Longer than any valid mailbox or PIN, so too long an entry fails instead of being cut to fit. */
const MAX_MAILBOX_DIGITS = 64;
const MAX_PIN_DIGITS = 16;

export async function login(call: MediaCall, req: RetrievalRequest, deps: RetrievalDeps): Promise<{ mailbox: string } | 'hangup' | 'locked-out'> {
  const { users, log, config } = deps;
  const max = config.maxPinAttempts;
  for (let attempt = 1; attempt <= max; attempt++) {
    const retry = attempt > 1;
    let mailbox = req.mailbox;
    if (mailbox === undefined) {
      const typed = await askDigits(call, prompt(retry ? 'incorrectMailbox' : 'login'), config, MAX_MAILBOX_DIGITS);
      if (typed === 'hangup') return 'hangup';
      mailbox = typed;
    }
    const pin = await askDigits(call, retry && req.mailbox !== undefined ? prompt('incorrect', 'password') : prompt('password'), config, MAX_PIN_DIGITS);
    if (pin === 'hangup') return 'hangup';
    if (pin !== '' && isMailboxName(mailbox) && users.get(mailbox)?.enabled && users.verifyPin(mailbox, pin)) {
      log.info(`voicemail: mailbox ${mailbox} opened by ${call.caller} (call ${call.callId})`);
      return { mailbox };
    }
    log.warn(
      `voicemail: ${pin === '' ? 'no PIN entered' : 'wrong PIN'} for mailbox ${JSON.stringify(mailbox)} from ${call.caller} ` +
        `(call ${call.callId}), attempt ${attempt} of ${max}`,
    );
  }
  log.warn(`voicemail: ${max} failed PIN attempts from ${call.caller} (call ${call.callId}); hanging up`);
  return 'locked-out';
}
