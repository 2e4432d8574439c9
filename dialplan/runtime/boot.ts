// The bundle's entry: imported before the dialplan module, so the channel is captured and the
// prelude installed before any user code runs. `makeStart` wraps the dialplan's default export in
// the function the host calls once per call.
import './prelude.ts';
import type { CallInfo } from '../host/call-info.ts';
import { CallImpl } from './call.ts';
import { setConsoleCall } from './prelude.ts';
import type { RunReport } from './report.ts';

export function makeStart(mod: Record<string, unknown>): (init: CallInfo, perCall: boolean) => Promise<RunReport> {
  const main = mod['default'];
  return async function start(init, perCall) {
    if (typeof main !== 'function') {
      return {
        kind: 'error',
        name: 'TypeError',
        message: 'the dialplan has no default export function: write `export default dialplan(async (call) => { … })`',
        stack: null,
      };
    }
    if (perCall) setConsoleCall(init.id);
    const call = new CallImpl(init);
    try {
      return CallImpl.report(call, { returned: await (main as (c: CallImpl) => unknown)(call) });
    } catch (e) {
      return CallImpl.report(call, { threw: e });
    }
  };
}
