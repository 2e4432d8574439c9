// Advanced options on a message (key 3, Asterisk's layout): 2 call the sender back, 3 hear the
// envelope (when and from whom), * back to the message.
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import type { VoicemailMessage } from '../store/voicemail-message.ts';
import { askKey, say, type Key } from './ask.ts';
import { callbackNumber, envelope } from './envelope.ts';
import type { RetrievalDeps, RetrievalResult } from './retrieval-deps.ts';

const MAX_ROUNDS = 20;

/** A key pressed while the envelope played is handed back to the message menu. */
export async function advancedOptions(call: MediaCall, m: VoicemailMessage, deps: RetrievalDeps): Promise<Key | RetrievalResult | undefined> {
  let idle = 0;
  for (let round = 0; round < MAX_ROUNDS && idle < deps.config.maxMenuRepeats; round++) {
    const key = await askKey(call, prompt('tocallback', 'tohearenv', 'starmain'), deps.config);
    if (key === 'hangup') return 'hangup';
    if (key === 'timeout') {
      idle++;
      continue;
    }
    idle = 0;
    if (key === '*') return undefined;
    if (key === '3') return say(call, envelope(m, deps));
    if (key === '2') {
      const number = callbackNumber(m.caller);
      if (number) return { end: 'callback', mailbox: m.mailbox, callback: number };
      if ((await say(call, prompt('noCallback'))) === 'hangup') return 'hangup';
    }
  }
  return undefined;
}
