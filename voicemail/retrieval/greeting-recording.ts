// Recording a greeting by phone (mailbox options 1-3): prompt, beep, record, then review
// (1 accept, 2 listen, 3 record again). The old greeting stays until the new one is accepted; a
// caller who hangs up or goes quiet at the review keeps what they recorded, as in Asterisk.
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { prompt, type PromptName } from '../prompts/prompts.ts';
import type { GreetingKind } from '../store/voicemail-message.ts';
import { askKey, say } from './ask.ts';
import type { RetrievalDeps } from './retrieval-deps.ts';

const INSTRUCTION: Record<GreetingKind, PromptName> = { unavailable: 'recUnavailable', busy: 'recBusy', name: 'recName' };
const MAX_TAKES = 5;
const MAX_REVIEW_ROUNDS = 10;

export async function recordGreeting(call: MediaCall, mailbox: string, kind: GreetingKind, deps: RetrievalDeps): Promise<'hangup' | undefined> {
  const { store, config, log } = deps;
  for (let take = 0; take < MAX_TAKES; take++) {
    if ((await call.play(prompt(INSTRUCTION[kind]))).status === 'hangup') return 'hangup';
    const path = store.greetingTarget(mailbox, kind);
    const r = await call.record({
      path,
      maxMs: config.maxGreetingSec * 1000,
      silenceMs: config.silenceSec > 0 ? config.silenceSec * 1000 : undefined,
      beep: true,
      stopDigits: '#',
    });
    if (r.reason === 'error') {
      log.warn(`voicemail: recording the ${kind} greeting of ${mailbox} failed (call ${call.callId}): ${r.error ?? 'unknown error'}`);
      return undefined;
    }
    const choice = r.reason === 'hangup' ? 'hangup' : await review(call, path, deps);
    if (choice === 'again') continue;
    const kept = store.greetingRecorded(mailbox, kind);
    if (kept) log.info(`voicemail: new ${kind} greeting for mailbox ${mailbox} recorded by phone (call ${call.callId})`);
    if (choice === 'hangup') return 'hangup';
    return (await say(call, prompt(kept ? 'msgsaved' : 'tooshort'))) === 'hangup' ? 'hangup' : undefined;
  }
  return undefined;
}

async function review(call: MediaCall, path: string, deps: RetrievalDeps): Promise<'accept' | 'again' | 'hangup'> {
  let idle = 0;
  for (let round = 0; round < MAX_REVIEW_ROUNDS && idle < deps.config.maxMenuRepeats; round++) {
    const key = await askKey(call, prompt('review'), deps.config);
    if (key === 'hangup') return 'hangup';
    if (key === 'timeout') idle++;
    else if (key === '1') return 'accept';
    else if (key === '3') return 'again';
    else if (key === '2' && (await say(call, [{ file: path }])) === 'hangup') return 'hangup';
  }
  return 'accept';
}
