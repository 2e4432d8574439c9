// The bundle's entry: imported before the dialplan module, so the channel is captured and the
// prelude installed before any user code runs. `makeStart` wraps the dialplan's default export in
// the bundle's one entry function, which the host calls once per call (`entry(info, mode)`) and
// for every op reply (`entry(seq, reply)`): one handle per context carries both directions.
import './prelude.ts';
import type { CallInfo } from '../host/call-info.ts';
import { CallImpl } from './call.ts';
import { canRebase, deliver, rebaseClock, type Reply } from './channel.ts';
import { reseed, setConsoleCall } from './prelude.ts';
import type { RunReport, StaleReport, StartMode } from './report.ts';

export type Entry = {
  (init: CallInfo, mode: StartMode): Promise<RunReport | StaleReport>;
  (seq: number, reply: Reply): undefined;
};

export function makeStart(mod: Record<string, unknown>): Entry {
  const main = mod['default'];
  async function start(init: CallInfo, mode: StartMode): Promise<RunReport | StaleReport> {
    if (mode === 'premade') {
      if (!canRebase()) return { kind: 'stale' };
      rebaseClock(init.startedAt);
      reseed(init.seed ?? 0);
    }
    if (typeof main !== 'function') {
      return {
        kind: 'error',
        name: 'TypeError',
        message: 'the dialplan has no default export function: write `export default dialplan(async (call) => { … })`',
        stack: null,
      };
    }
    if (mode !== 'shared') setConsoleCall(init.id);
    const call = new CallImpl(init);
    try {
      return CallImpl.report(call, { returned: await (main as (c: CallImpl) => unknown)(call) });
    } catch (e) {
      return CallImpl.report(call, { threw: e });
    }
  }
  return function entry(a: CallInfo | number, b: StartMode | Reply) {
    if (typeof a === 'number') return void deliver(a, b as Reply);
    return start(a, b as StartMode);
  } as Entry;
}
