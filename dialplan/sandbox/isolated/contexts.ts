// Making and loading contexts, and the host end of each context's op channel. The round trips to
// the isolate's thread are the cost here (tens of µs each): values are set with `setIgnored`
// (isolate tasks run in order, so the bundle still sees them) and only the steps whose result is
// needed are awaited.
import ivm from 'isolated-vm';
import type { BootEnv, Reply } from '../../runtime/channel.ts';
import { errorText } from '../../util/log.ts';
import type { Box, EntryRef, Made, Slot } from './box.ts';

/** Handles one request from a context; resolves with the reply, or null when none is due. */
export type OpHandler = (box: Box, slot: Slot, callId: unknown, op: unknown, args: unknown) => Promise<unknown> | null;

/** A new context with the host channel installed; the bundle is not loaded yet. */
export async function makeContext(box: Box, slot: Slot, onOp: OpHandler): Promise<Made> {
  await box.script; // a bundle that does not compile fails here, before a context is spent on it
  const ctx = await box.isolate.createContext();
  box.watchdog.progress();
  const channel = new ivm.Callback(
    (seq: unknown, callId: unknown, op: unknown, args: unknown) => {
      const due = typeof seq === 'number' && seq > 0;
      try {
        const reply = onOp(box, slot, callId, op, args);
        if (reply && due) void reply.then((r) => answer(slot, seq, r));
      } catch (err) {
        // "Ignored" mode drops a throw on the floor; the dialplan would wait for a reply forever.
        if (due) answer(slot, seq, { ok: false, error: { code: 'failed', message: `the host failed on ${String(op)}: ${errorText(err)}` } });
      }
    },
    { ignored: true },
  );
  ctx.global.setIgnored('__pbxHost', channel);
  return { ctx, slot };
}

/** Evaluates the bundle in a made context with these boot values; the slot gets its entry. */
export async function loadBundle(box: Box, made: Made, env: BootEnv, cpuLimitMs: number): Promise<void> {
  const script = await box.script;
  made.ctx.global.setIgnored('__pbxEnv', new ivm.ExternalCopy(env).copyInto({ release: true }));
  made.slot.entry = (await script.run(made.ctx, { reference: true, timeout: cpuLimitMs })) as EntryRef;
  box.watchdog.progress();
}

const REPLY = { arguments: { copy: true } } as const;

/** Delivers a reply to the context that asked; a reply that cannot be copied becomes a failure. */
function answer(slot: Slot, seq: number, reply: unknown): void {
  const entry = slot.entry;
  if (!entry) return;
  try {
    entry.applyIgnored(undefined, [seq, reply as Reply], REPLY);
  } catch (err) {
    if (/released|disposed/i.test(errorText(err))) return; // the call (or its isolate) is gone
    const failed: Reply = { ok: false, error: { code: 'failed', message: `the host's reply could not be passed to the dialplan: ${errorText(err)}` } };
    try {
      entry.applyIgnored(undefined, [seq, failed], REPLY);
    } catch {
      // gone meanwhile
    }
  }
}
