// Reading keys from the caller: one menu key, or a number ended by '#' or a pause. Prompts
// can be interrupted by the first key (it counts as the answer).
import type { MediaCall, PlayItem } from '../../core/pbx/calls/media-call.ts';
import type { VoicemailConfig } from '../store/voicemail-config.ts';

/** One key ('0'-'9', '*', '#'), or what happened instead. */
export type Key = string | 'timeout' | 'hangup';

type Timing = Pick<VoicemailConfig, 'menuTimeoutSec' | 'interDigitSec'>;

export async function askKey(call: MediaCall, prompts: PlayItem[], cfg: Timing): Promise<Key> {
  const r = await call.collect({ prompts, max: 1, timeoutMs: cfg.menuTimeoutSec * 1000, interDigitMs: cfg.interDigitSec * 1000, terminators: '' });
  if (r.endedBy === 'hangup') return 'hangup';
  return r.digits ? r.digits[0]! : 'timeout';
}

/** Digits up to `max`, '#' ending early (not included); '' when nothing was typed. */
export async function askDigits(call: MediaCall, prompts: PlayItem[], cfg: Timing, max: number): Promise<string | 'hangup'> {
  const r = await call.collect({ prompts, max, timeoutMs: cfg.menuTimeoutSec * 1000, interDigitMs: cfg.interDigitSec * 1000, terminators: '#' });
  return r.endedBy === 'hangup' ? 'hangup' : r.digits;
}

/** Plays `items`; a key pressed meanwhile stops them and is returned. */
export async function say(call: MediaCall, items: PlayItem[]): Promise<Key | undefined> {
  const r = await call.play(items, { bargeIn: true });
  if (r.status === 'hangup') return 'hangup';
  return r.status === 'interrupted' ? r.digit : undefined;
}
