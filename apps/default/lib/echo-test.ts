// A copy of apps/echo-test/echo-test.ts from the PBX's source tree, so that this folder stands on its own.
// The echo test: Asterisk's explanation ("You are about to enter an echo test…", skippable with any
// key), then a transfer to the PBX's built-in echo service at sip:echo@<this PBX's domain>. The SDK
// has no echo operation: the echo is a media service the PBX runs, not a dialplan step.
import type { Call, Done } from '@pbx/dialplan';
import { promptList, type Prompts } from './prompts.ts';

export interface EchoTest {
  /** Played before the echo starts ('demo-echotest' by default; [] for none). */
  intro?: Prompts;
  /** User part of the echo service's URI (default 'echo'). */
  service?: string;
}

export const ECHO_INTRO = 'demo-echotest';

export async function echoTest(call: Call, o: EchoTest = {}): Promise<Done> {
  const intro = promptList(o.intro ?? ECHO_INTRO);
  if (intro.length > 0) await call.play(intro, { bargeIn: true });
  return call.transfer({ uri: `sip:${o.service ?? 'echo'}@${call.to.host}` });
}
