// The bundle's entry: imported before the dialplan module, so the channel is captured and the
// instance has entered its realm before any user code runs. `makeStart` wraps the dialplan's
// default export in the bundle's one entry function, which the host calls once per call (`entry(info, mode)`) and
// for every op reply (`entry(seq, reply)`): one handle per instance carries both directions. A
// call's entry returns once the dialplan awaits its first op; the report follows on the channel.
import './prelude.ts';
import type { CallInfo } from '../host/call-info.ts';
import { CallImpl } from './call.ts';
import { canRebase, deliver, post, rebaseClock, type Reply } from './channel.ts';
import { enterRealm, reseed, setConsoleCall } from './prelude.ts';
import { REPORT_OP, STALE, type RunReport, type StartMode } from './report.ts';

export type Entry = {
  (init: CallInfo, mode: StartMode): typeof STALE | undefined;
  (seq: number, reply: Reply): undefined;
};

export function makeStart(mod: Record<string, unknown>): Entry {
  const main = mod['default'];
  async function run(init: CallInfo): Promise<RunReport> {
    if (typeof main !== 'function') {
      return {
        kind: 'error',
        name: 'TypeError',
        message: 'the dialplan has no default export function: write `export default dialplan(async (call) => { … })`',
        stack: null,
      };
    }
    const call = new CallImpl(init);
    try {
      return CallImpl.report(call, { returned: await (main as (c: CallImpl) => unknown)(call) });
    } catch (e) {
      return CallImpl.report(call, { threw: e });
    }
  }
  function start(init: CallInfo, mode: StartMode): typeof STALE | undefined {
    if (mode === 'premade') {
      if (!canRebase()) return STALE;
      rebaseClock(init.startedAt);
      reseed(init.seed ?? 0);
    }
    if (mode !== 'shared') setConsoleCall(init.id);
    void run(init).then(
      (report) => post(init.id, REPORT_OP, report),
      (e: unknown) => post(init.id, REPORT_OP, { kind: 'error', name: 'Error', message: `dialplan runtime: ${String(e)}`, stack: null } satisfies RunReport),
    );
    return undefined;
  }
  return function entry(a: CallInfo | number, b: StartMode | Reply) {
    enterRealm(); // other instances may have run since this one last had control
    if (typeof a === 'number') return void deliver(a, b as Reply);
    return start(a, b as StartMode);
  } as Entry;
}
