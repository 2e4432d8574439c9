// Making contexts and dialplan instances, and the host end of each instance's op channel. The
// round trips to the isolate's thread are the cost here (tens of µs each): values are set with
// `setIgnored`/`runIgnored` (isolate tasks run in order, so the bundle still sees them) and only
// the steps whose result is needed are awaited.
import ivm from 'isolated-vm';
import type { CallInfo } from '../../host/call-info.ts';
import type { BootEnv, Reply } from '../../runtime/channel.ts';
import { REPORT_OP, SPAWN_FAILED_OP } from '../../runtime/report.ts';
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
  ctx.global.setIgnored('__pbxHost', hostChannel(box, slot, onOp, (_callId, seq, r) => answer(slot, seq, r)));
  return { ctx, slot };
}

/** Evaluates the bundle in a made context with these boot values; the slot gets its entry. */
export async function loadBundle(box: Box, made: Made, env: BootEnv, cpuLimitMs: number): Promise<void> {
  const script = await box.script;
  made.ctx.global.setIgnored('__pbxEnv', new ivm.ExternalCopy(env).copyInto({ release: true }));
  made.slot.entry = (await script.run(made.ctx, { reference: true, timeout: cpuLimitMs })) as EntryRef;
  box.watchdog.progress();
}

// Frozen mode: one context per isolate, one host channel and one reply path for all its calls.
// The glue below is the only code that holds them: each instance gets a channel function bound to
// its call's id (so it can neither name another call nor reach the shared one), and replies are
// routed to the instance of the call they name. `spawn` makes a call's instance and starts it; the
// host calls it without waiting (an awaited apply costs the main thread ~60 µs more than an ignored
// one), so a failure comes back as a message: a throw from spawn's own catch, and a stop at the CPU
// limit from `check`. The host asks for the checks of earlier spawns with the next spawn, or after
// CHECK_AFTER_MS when no spawn follows; either way behind the spawns checked (isolate tasks run in
// order), and without a task of their own while calls keep coming.
const GLUE = `(function (bundle, realm, host, reportOp, failedOp) {
  const entries = new Map();
  const starting = new Set();
  function spawn(checks, env, info) {
    for (const id of checks) check(id);
    const id = info.id;
    starting.add(id);
    try {
      const channel = (seq, _callId, op, args) => {
        if (op === reportOp) entries.delete(id);
        host(seq, id, op, args);
      };
      const entry = bundle(channel, env, realm);
      entries.set(id, entry);
      entry(info, 'fresh');
    } catch (e) {
      entries.delete(id);
      host(0, id, failedOp, { timedOut: false, message: e instanceof Error ? String(e.message) : String(e) });
    }
    starting.delete(id);
  }
  function check(id) {
    if (!starting.delete(id)) return;
    entries.delete(id);
    host(0, id, failedOp, { timedOut: true });
  }
  function checkAll(ids) {
    for (const id of ids) check(id);
  }
  function deliver(id, seq, reply) {
    const entry = entries.get(id);
    if (entry) entry(seq, reply);
  }
  function forget(id) {
    entries.delete(id);
  }
  return [spawn, checkAll, deliver, forget];
})`;

/** The isolate's frozen context: its realm set up and frozen, the bundle compiled into it. */
export async function makeFrozenRealm(box: Box, onOp: OpHandler, cpuLimitMs: number): Promise<FrozenRealm> {
  const [script, realm] = await Promise.all([box.script, box.realm]);
  const ctx = await box.isolate.createContext();
  const enter = (await realm.run(ctx, { reference: true, timeout: cpuLimitMs })) as ivm.Reference;
  const bundle = (await script.run(ctx, { reference: true })) as ivm.Reference;
  const glue = (await (await box.isolate.compileScript(GLUE, { filename: 'pbx-glue.js' })).run(ctx, { reference: true })) as ivm.Reference<
    (...a: unknown[]) => unknown
  >;
  let deliver: ivm.Reference<(id: string, seq: number, reply: Reply) => void> | null = null;
  const slot: Slot = { shared: true, live: null, entry: null };
  const channel = hostChannel(box, slot, onOp, (callId, seq, reply) => {
    if (deliver && typeof callId === 'string') send(deliver, [callId, seq], reply);
  });
  const fns = (await glue.apply(undefined, [bundle.derefInto(), enter.derefInto(), channel, REPORT_OP, SPAWN_FAILED_OP], { result: { reference: true } })) as ivm.Reference<
    unknown[]
  >;
  const [spawn, check, deliverRef, forget] = await Promise.all([0, 1, 2, 3].map((i) => fns.get(i, { reference: true })));
  deliver = deliverRef as unknown as typeof deliver;
  for (const r of [enter, bundle, glue, fns]) r.release();
  box.watchdog.progress();
  return { ctx, spawn: spawn as FrozenRealm['spawn'], check: check as FrozenRealm['check'], forget: forget as FrozenRealm['forget'], unchecked: [], checkTimer: null };
}

/**
 * Makes this call's instance in the frozen context and starts the call, without waiting: the call's
 * ops, its report or a SPAWN_FAILED_OP message follow on the channel. Throws only if the isolate
 * is gone.
 */
export function spawnInstance(realm: FrozenRealm, info: CallInfo, cpuLimitMs: number): void {
  const env: BootEnv = { seed: info.seed ?? 0, now: info.startedAt };
  const checks = realm.unchecked;
  realm.unchecked = [info.id];
  realm.spawn.applyIgnored(undefined, [checks, env, info], { arguments: { copy: true }, timeout: cpuLimitMs });
  realm.checkTimer ??= setTimeout(() => checkSpawns(realm), CHECK_AFTER_MS).unref();
}

/** How long a spawn may wait for its check when no other spawn follows it. */
const CHECK_AFTER_MS = 50;

function checkSpawns(realm: FrozenRealm): void {
  realm.checkTimer = null;
  if (realm.unchecked.length === 0) return;
  const ids = realm.unchecked;
  realm.unchecked = [];
  try {
    realm.check.applyIgnored(undefined, [ids], { arguments: { copy: true } });
  } catch {
    // the isolate is gone: its calls have had their outcome
  }
}

/** Drops the realm's route to a call that ended without reporting (ended by the host). */
export function forgetInstance(realm: FrozenRealm, id: string): void {
  try {
    realm.forget.applyIgnored(undefined, [id], { arguments: { copy: true } });
  } catch {
    // the isolate is gone
  }
}

function hostChannel(box: Box, slot: Slot, onOp: OpHandler, reply: (callId: unknown, seq: number, r: unknown) => void): ivm.Callback {
  return new ivm.Callback(
    (seq: unknown, callId: unknown, op: unknown, args: unknown) => {
      const due = typeof seq === 'number' && seq > 0;
      try {
        const r = onOp(box, slot, callId, op, args);
        if (r && due) void r.then((v) => reply(callId, seq, v));
      } catch (err) {
        // "Ignored" mode drops a throw on the floor; the dialplan would wait for a reply forever.
        if (due) reply(callId, seq, { ok: false, error: { code: 'failed', message: `the host failed on ${String(op)}: ${errorText(err)}` } });
      }
    },
    { ignored: true },
  );
}

const REPLY = { arguments: { copy: true } } as const;

/** Delivers a reply to the context that asked. */
function answer(slot: Slot, seq: number, reply: unknown): void {
  if (slot.entry) send(slot.entry, [seq], reply);
}

type ReplyTarget = ivm.Reference<(...a: never[]) => unknown>;

/** Calls `to(...head, reply)`; a reply that cannot be copied becomes a failure. */
function send(to: ReplyTarget, head: unknown[], reply: unknown): void {
  const apply = (r: unknown) => (to as ivm.Reference<(...a: unknown[]) => void>).applyIgnored(undefined, [...head, r] as never[], REPLY);
  try {
    apply(reply);
  } catch (err) {
    if (/released|disposed/i.test(errorText(err))) return; // the call (or its isolate) is gone
    const failed: Reply = { ok: false, error: { code: 'failed', message: `the host's reply could not be passed to the dialplan: ${errorText(err)}` } };
    try {
      apply(failed);
    } catch {
      // gone meanwhile
    }
  }
}
