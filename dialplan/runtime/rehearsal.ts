// A rehearsal in a spare context, before it serves a call: the runtime's own call path (the call
// object, serialised ops, dial arguments, replies) runs once against answers made up inside the
// context. V8 builds hidden classes, inline caches and feedback per context, so without this
// the first call in every fresh context pays for them between its INVITE and its first op. No
// dialplan code runs, nothing reaches the host, and neither the clock nor Math.random is read
// (a rehearsed context still rebases to its call: see canRebase).
import type { CallInfo } from '../host/call-info.ts';
import { CallImpl } from './call.ts';
import { answerLocally } from './channel.ts';

export async function rehearse(init: CallInfo): Promise<void> {
  answerLocally((op) => ({ ok: true, value: op === 'dial' ? { status: 'no-answer' } : null, t: 0 }));
  try {
    const call = new CallImpl(init);
    await call.answer();
    const r = await call.dial(init.dialed, { timeout: 20 });
    if (r.status !== 'answered') await call.hangup();
  } finally {
    answerLocally(null);
  }
}
