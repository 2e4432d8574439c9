// "Received Monday January fifth at three oh five p m, from extension 1 0 0 2": when and from whom.
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import { sayDigits } from '../prompts/say.ts';
import { sayDateTime } from '../prompts/say-time.ts';
import type { VoicemailMessage } from '../store/voicemail-message.ts';
import type { RetrievalDeps } from './retrieval-deps.ts';

/** A number that can be dialled back (not "anonymous", not a name). */
export function callbackNumber(caller: string): string | undefined {
  return /^\+?[0-9*#]{1,32}$/.test(caller) ? caller : undefined;
}

export function envelope(m: VoicemailMessage, deps: Pick<RetrievalDeps, 'users'>, timeZone?: string): PlayItem[] {
  const from = !callbackNumber(m.caller)
    ? prompt('unknownCaller')
    : [...prompt(deps.users.get(m.caller) ? 'fromExtension' : 'fromPhonenumber'), ...sayDigits(m.caller)];
  return [...prompt('received'), ...sayDateTime(m.receivedAt, timeZone), ...from];
}
