// Making contexts and dialplan instances, and the host end of each instance's op channel. The
// round trips to the isolate's thread are the cost here (tens of µs each): values are set with
// `setIgnored`/`runIgnored` (isolate tasks run in order, so the bundle still sees them) and only
// the steps whose result is needed are awaited.
import ivm from 'isolated-vm';
import type { CallInfo } from '../../host/call-info.ts';
import type { BootEnv, Reply } from '../../runtime/channel.ts';
import { errorText } from '../../util/log.ts';
import type { Box, EntryRef, FrozenRealm, Made, Slot } from './box.ts';

/** Handles one request from an instance; resolves with the reply, or null when none is due. */
export type OpHandler = (box: Box, slot: Slot, callId: unknown, op: unknown, args: unknown) => Promise<unknown> | null;

/** A new context with its realm set up and the host channel installed; no instance yet. */
export async function makeContext(box: Box, slot: Slot, onOp: OpHandler): Promise<Made> {
  await box.script; // a bundle that does not compile fails here, before a context is spent on it
  const realm = await box.realm;
  const ctx = await box.isolate.createContext();
  box.watchdog.progress();
  realm.runIgnored(ctx);
  ctx.global.setIgnored('__pbxHost', hostChannel(box, slot, onOp));
  return { ctx, slot };
}

/** Evaluates the bundle in a made context with these boot values; the slot gets its entry. */
export async function loadBundle(box: Box, made: Made, env: BootEnv, cpuLimitMs: number): Promise<void> {
  const script = await box.script;
  made.ctx.global.setIgnored('__pbxEnv', new ivm.ExternalCopy(env).copyInto({ release: true }));
  setEntry(made.slot, (await script.run(made.ctx, { reference: true, timeout: cpuLimitMs })) as EntryRef);
  box.watchdog.progress();
}

// Frozen mode: one context per isolate; `spawn` makes a call's instance and starts the call in one
// round trip. The entry it returns is the instance's, for the replies to its ops.
const SPAWN = `(function (bundle, realm) {
  return function spawn(host, env, info) {
    const entry = bundle(host, env, realm);
    entry(info, 'fresh');
    return entry;
  };
})`;

/** The isolate's frozen context: its realm set up and frozen, the bundle compiled into it. */
export async function makeFrozenRealm(box: Box, cpuLimitMs: number): Promise<FrozenRealm> {
  const [script, realm] = await Promise.all([box.script, box.realm]);
  const ctx = await box.isolate.createContext();
  const enter = (await realm.run(ctx, { reference: true, timeout: cpuLimitMs })) as ivm.Reference;
  const bundle = (await script.run(ctx, { reference: true })) as ivm.Reference;
  const glue = (await (await box.isolate.compileScript(SPAWN, { filename: 'pbx-spawn.js' })).run(ctx, { reference: true })) as ivm.Reference<
    (b: unknown, r: unknown) => unknown
  >;
  const spawn = (await glue.apply(undefined, [bundle.derefInto(), enter.derefInto()], { result: { reference: true } })) as FrozenRealm['spawn'];
  for (const r of [enter, bundle, glue]) r.release();
  box.watchdog.progress();
  return { ctx, spawn };
}

/** Makes this call's instance in the frozen context and starts the call; the slot gets its entry. */
export async function spawnInstance(box: Box, realm: FrozenRealm, slot: Slot, info: CallInfo, onOp: OpHandler, cpuLimitMs: number): Promise<EntryRef> {
  const env: BootEnv = { seed: info.seed ?? 0, now: info.startedAt };
  const entry = await realm.spawn.apply(undefined, [hostChannel(box, slot, onOp), env, info], {
    arguments: { copy: true },
    result: { reference: true },
    timeout: cpuLimitMs,
  });
  setEntry(slot, entry as EntryRef);
  return entry as EntryRef;
}

function hostChannel(box: Box, slot: Slot, onOp: OpHandler): ivm.Callback {
  return new ivm.Callback(
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
}

/** The slot's entry is known: replies that arrived before it (frozen mode's first ops) go now. */
function setEntry(slot: Slot, entry: EntryRef): void {
  slot.entry = entry;
  const early = slot.early;
  slot.early = null;
  if (early) for (const [seq, reply] of early) answer(slot, seq, reply);
}

const REPLY = { arguments: { copy: true } } as const;

/** Delivers a reply to the instance that asked; a reply that cannot be copied becomes a failure. */
function answer(slot: Slot, seq: number, reply: unknown): void {
  const entry = slot.entry;
  if (!entry) {
    // The op was sent while the call's instance was being made; the entry follows in this turn.
    (slot.early ??= []).push([seq, reply]);
    return;
  }
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
