// NOT A SANDBOX. Runs the same bundle in a node:vm context on the main thread, so a debugger can
// step through a dialplan and stack traces point into it directly. There is no memory limit, no
// CPU watchdog (only a timeout on loading the module) and node:vm is not a security boundary.
// Use it on your own dialplans while debugging; the PBX and the tests use the isolated sandbox.
// Each call gets a fresh context whose built-ins are not frozen (as the isolated 'per-call' mode).
import vm from 'node:vm';
import type { CompiledDialplan } from '../../compiler/compile.ts';
import type { CallHost } from '../../host/call-host.ts';
import { seedFromId, type CallInfo } from '../../host/call-info.ts';
import type { Entry } from '../../runtime/boot.ts';
import type { Reply } from '../../runtime/channel.ts';
import { REPORT_OP } from '../../runtime/report.ts';
import { errorText } from '../../util/log.ts';
import { admit, bridgeOp, newCallState, type CallState } from '../bridge.ts';
import type { CallOutcome } from '../outcome.ts';
import { fromReport, isReport, outcome, syncTimeout } from '../outcomes.ts';
import type { Sandbox, SandboxOptions } from '../sandbox.ts';
import { instanceInContext, realmForContext } from '../sandbox-scripts.ts';

export function createUnsafeSandbox(dp: CompiledDialplan, o: SandboxOptions): Sandbox {
  let inflight = 0;
  let disposed = false;
  const idle = new Set<() => void>();
  const realm = new vm.Script(realmForContext(dp), { filename: 'pbx-realm.js' });
  const script = new vm.Script(instanceInContext(dp), { filename: dp.filename });

  const enders = new Map<string, (message: string) => void>();

  async function run(info: CallInfo, host: CallHost): Promise<CallOutcome> {
    const state = newCallState({ ...info, seed: info.seed ?? seedFromId(info.id) }, host);
    if (disposed) return outcome(dp, state, { result: 'disposed', message: `dialplan '${dp.name}' is unloaded` });
    inflight++;
    const ended = new Promise<CallOutcome>((resolve) => enders.set(info.id, (message) => resolve(outcome(dp, state, { result: 'disposed', message }))));
    try {
      return await Promise.race([execute(info, state), ended]);
    } finally {
      enders.delete(info.id);
      state.finished = true;
      if (--inflight === 0) for (const f of [...idle]) f();
    }
  }

  async function execute(info: CallInfo, state: CallState): Promise<CallOutcome> {
    try {
      // Copies on the way in and out, as isolated-vm does, so behaviour matches the real sandbox.
      const onOp = (callId: unknown, op: unknown, args: unknown) => {
        if (callId !== info.id) return Promise.resolve({ ok: false, error: { code: 'ended', message: `no call ${String(callId)} here` } });
        admit(state, o.maxOpsPerCall);
        return bridgeOp(state, op, args, o.maxOpsPerCall).then((r) => structuredClone(r));
      };
      let entry: Entry | undefined;
      let reported: (report: unknown) => void = () => undefined;
      const report = new Promise<unknown>((resolve) => (reported = resolve));
      // The same one-way protocol as the isolated channel: requests out, replies through the entry.
      const channel = (seq: number, callId: unknown, op: unknown, args: unknown) => {
        if (op === REPORT_OP) return callId === info.id && reported(structuredClone(args));
        const reply = onOp(callId, op, structuredClone(args));
        if (seq > 0) void reply.then((r) => entry?.(seq, r as Reply));
      };
      const ctx = vm.createContext({ __pbxHost: channel, __pbxEnv: { seed: state.info.seed ?? 0, now: info.startedAt } });
      try {
        realm.runInContext(ctx);
        entry = script.runInContext(ctx, { timeout: o.cpuLimitMs }) as Entry;
      } catch (err) {
        if (/timed out/i.test(errorText(err))) return outcome(dp, state, syncTimeout(dp, o.cpuLimitMs));
        throw err;
      }
      entry(structuredClone(state.info), 'fresh');
      const r = await report;
      return outcome(dp, state, isReport(r) ? fromReport(dp, r) : { result: 'error', message: 'no report' });
    } catch (err) {
      return outcome(dp, state, { result: 'error', message: `dialplan '${dp.name}' could not run: ${errorText(err)}` });
    }
  }

  return {
    dialplan: dp,
    run,
    get inflight() {
      return inflight;
    },
    idle: () =>
      inflight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const f = (): void => void (idle.delete(f), resolve());
            idle.add(f);
          }),
    end: (callId, message) => {
      const end = enders.get(callId);
      end?.(message);
      return end !== undefined;
    },
    stats: () => ({ calls: inflight, kills: 0, isolateAlive: !disposed, spares: 0 }),
    warm: () => Promise.resolve(),
    heapUsed: () => Promise.resolve(null),
    dispose: async () => {
      disposed = true;
    },
  };
}
