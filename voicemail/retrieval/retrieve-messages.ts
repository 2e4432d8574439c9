// Voicemail by phone (*97 own mailbox, *98 any mailbox): PIN login, then the menus. Ends the call
// itself, except for "call back", which hands the answered call back for the dial.
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import { login } from './login.ts';
import { MessageSession } from './message-session.ts';
import type { RetrievalDeps, RetrievalRequest, RetrievalResult } from './retrieval-deps.ts';

export type { RetrievalDeps, RetrievalRequest, RetrievalResult };

export async function retrieveMessages(call: MediaCall, req: RetrievalRequest, deps: RetrievalDeps): Promise<RetrievalResult> {
  let result: RetrievalResult;
  try {
    const who = await login(call, req, deps);
    if (who === 'hangup') result = { end: 'hangup' };
    else if (who === 'locked-out') {
      await call.play(prompt('goodbye'));
      result = { end: 'locked-out' };
    } else {
      result = await new MessageSession(call, who.mailbox, deps).run();
    }
  } catch (err) {
    deps.log.warn(`voicemail: retrieval on call ${call.callId} failed: ${(err as Error).message}`);
    await call.hangup().catch(() => {});
    throw err;
  }
  if (result.end !== 'callback') await call.hangup();
  return result;
}
