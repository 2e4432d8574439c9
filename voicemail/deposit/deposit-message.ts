// Leaving a message (RFC 4458 deposit): greeting by cause, beep, record until '#', silence, the
// maximum length or hang-up, then the message is stored. What the caller said before hanging up
// (or before the media server failed) is kept; the store drops recordings under the minimum.
import type { MediaCall, MediaRecordResult } from '../../core/pbx/calls/media-call.ts';
import type { UserStore } from '../../core/pbx/store/users.ts';
import type { Logger } from '../../core/sip/util/logger.ts';
import { prompt } from '../prompts/prompts.ts';
import type { MailboxStore } from '../store/mailbox-store.ts';
import { isMailboxName } from '../store/mailbox-name.ts';
import type { VoicemailConfig } from '../store/voicemail-config.ts';
import type { VoicemailMessage } from '../store/voicemail-message.ts';
import { measureWavFile } from '../store/wav-file.ts';
import { greetingFor } from './greeting.ts';

export interface DepositRequest {
  mailbox: string;
  cause: number | null;
  /** What the caller dialled (stored with the message). */
  called: string;
}

export interface DepositDeps {
  store: MailboxStore;
  users: Pick<UserStore, 'get'>;
  log: Logger;
  config: VoicemailConfig;
}

export type DepositOutcome =
  | { outcome: 'stored'; message: VoicemailMessage }
  /** No such (enabled) extension; the caller was told and the call hung up. */
  | { outcome: 'no-mailbox' }
  | { outcome: 'mailbox-full' }
  /** The caller hung up before the beep. */
  | { outcome: 'caller-left' }
  /** Shorter than voicemail.minMessageMs (or nothing reached the disk): discarded. */
  | { outcome: 'too-short' };

/** Runs the deposit on an answered call and ends the call. */
export async function depositMessage(call: MediaCall, req: DepositRequest, deps: DepositDeps): Promise<DepositOutcome> {
  const { store, users, log } = deps;
  const where = `call ${call.callId} from ${call.caller}`;
  if (!isMailboxName(req.mailbox) || !users.get(req.mailbox)?.enabled) {
    log.notice(`voicemail: no mailbox ${JSON.stringify(req.mailbox.slice(0, 64))} (${where})`);
    await finish(call, prompt('nobox', 'goodbye'));
    return { outcome: 'no-mailbox' };
  }
  if (store.isFull(req.mailbox)) {
    log.notice(`voicemail: mailbox ${req.mailbox} is full (${where})`);
    await finish(call, prompt('mailboxfull', 'goodbye'));
    return { outcome: 'mailbox-full' };
  }
  const greeting = greetingFor(store, req.mailbox, req.cause);
  try {
    // Any key skips the greeting straight to the beep; an owner's greeting is their own words, so no intro after it.
    const played = await call.play([...greeting.items, ...(greeting.own ? [] : prompt('intro'))], { bargeIn: true });
    if (played.status === 'hangup') return { outcome: 'caller-left' };
  } catch (err) {
    // A greeting that cannot be played (a damaged file) must not cost the caller their message.
    log.warn(`voicemail: greeting for ${req.mailbox} failed, recording anyway (${where}): ${(err as Error).message ?? String(err)}`);
  }
  if (call.isEnded) return { outcome: 'caller-left' };
  return recordMessage(call, req, deps);
}

async function recordMessage(call: MediaCall, req: DepositRequest, deps: DepositDeps): Promise<DepositOutcome> {
  const { store, log, config } = deps;
  const { id, path } = store.beginMessage({ mailbox: req.mailbox, caller: call.caller, callerName: call.callerName, called: req.called, cause: req.cause });
  let result: MediaRecordResult;
  try {
    result = await call.record({
      path,
      maxMs: config.maxMessageSec * 1000,
      silenceMs: config.silenceSec > 0 ? config.silenceSec * 1000 : undefined,
      beep: true,
      stopDigits: '#',
    });
  } catch (err) {
    // The media server went away mid-message: what it flushed to disk is the message.
    result = { durationMs: measureWavFile(path)?.durationMs ?? 0, reason: 'error', error: (err as Error).message };
  }
  if (result.reason === 'error') {
    result = { ...result, durationMs: Math.max(result.durationMs, measureWavFile(path)?.durationMs ?? 0) };
    log.warn(`voicemail: recording for ${req.mailbox} failed after ${result.durationMs} ms (call ${call.callId}): ${result.error ?? 'unknown error'}`);
  }
  const message = store.finishMessage(id, result.durationMs);
  if (!message) {
    log.info(`voicemail: discarded a ${result.durationMs} ms message for ${req.mailbox} from ${call.caller} (shorter than ${config.minMessageMs} ms)`);
    await finish(call, prompt('goodbye'));
    return { outcome: 'too-short' };
  }
  log.info(`voicemail: message ${message.id} for ${req.mailbox} from ${call.caller}, ${message.durationMs} ms (${result.reason})`);
  await finish(call, prompt('msgsaved', 'goodbye'));
  return { outcome: 'stored', message };
}

/** Last words to a caller who is still there, then BYE. */
async function finish(call: MediaCall, items: ReturnType<typeof prompt>): Promise<void> {
  if (!call.isEnded) {
    try {
      await call.play(items);
    } catch {
      // Nothing left to tell a caller we cannot play to; hang up regardless.
    }
  }
  await call.hangup();
}
