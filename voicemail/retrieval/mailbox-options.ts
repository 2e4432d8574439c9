// Mailbox options (key 0): 1 unavailable greeting, 2 busy greeting, 3 name, 4 change PIN,
// * back. Key 5 changes the PIN too: newer Asterisk recordings of vm-options offer it there
// (4 being their temporary greeting, which this PBX does not have).
import type { MediaCall } from '../../core/pbx/calls/media-call.ts';
import { prompt } from '../prompts/prompts.ts';
import type { GreetingKind } from '../store/voicemail-message.ts';
import { askKey } from './ask.ts';
import { recordGreeting } from './greeting-recording.ts';
import { changePin } from './pin-change.ts';
import type { RetrievalDeps } from './retrieval-deps.ts';

const GREETING_KEYS: Record<string, GreetingKind> = { '1': 'unavailable', '2': 'busy', '3': 'name' };
const MAX_ROUNDS = 30;

export async function mailboxOptions(call: MediaCall, mailbox: string, deps: RetrievalDeps): Promise<'hangup' | undefined> {
  let idle = 0;
  for (let round = 0; round < MAX_ROUNDS && idle < deps.config.maxMenuRepeats; round++) {
    const key = await askKey(call, prompt('options'), deps.config);
    if (key === 'hangup') return 'hangup';
    if (key === 'timeout') {
      idle++;
      continue;
    }
    idle = 0;
    if (key === '*' || key === '#') return undefined;
    const kind = GREETING_KEYS[key];
    const r = kind ? await recordGreeting(call, mailbox, kind, deps) : key === '4' || key === '5' ? await changePin(call, mailbox, deps) : undefined;
    if (r === 'hangup') return 'hangup';
  }
  return undefined;
}
