// A copy of apps/lib/prompts.ts from the PBX's source tree, so that this folder stands on its own.
// Prompt lists as a config value: one prompt or several, played in order. The SDK's collect takes a
// mutable array, a config object is better readonly, so this is the one place that converts.
import type { Call, Prompt } from '@pbx/dialplan';

export type Prompts = Prompt | readonly Prompt[];

export function promptList(p: Prompts): Prompt[] {
  return Array.isArray(p) ? [...(p as readonly Prompt[])] : [p as Prompt];
}

/** Plays `p` unless the config left it out (undefined) or switched it off (an empty list). */
export async function say(call: Call, p: Prompts | undefined): Promise<void> {
  if (p === undefined) return;
  const list = promptList(p);
  if (list.length > 0) await call.play(list);
}
