// Turning what the isolate reported (or how it failed) into a CallOutcome with a message a person
// can act on: the file and line for errors, the limit that was hit for kills.
import type { CompiledDialplan } from '../compiler/compile.ts';
import { firstUserFrame, mapStack } from '../compiler/stack.ts';
import type { RunReport } from '../runtime/report.ts';
import type { CallState } from './bridge.ts';
import type { CallOutcome, RunResult } from './outcome.ts';

export function outcome(dp: CompiledDialplan, call: CallState, r: RunResult): CallOutcome {
  return { ...r, callId: call.info.id, dialplan: dp.name, version: dp.version, ended: call.ended };
}

export function fromReport(dp: CompiledDialplan, report: RunReport): RunResult {
  switch (report.kind) {
    case 'done':
      return { result: 'ok', end: report.terminal };
    case 'hangup':
      return { result: 'ok', end: report.by === 'caller' ? 'caller-hangup' : 'system-hangup' };
    case 'fellthrough':
      return {
        result: 'error',
        message: `dialplan '${dp.name}' returned ${report.returned} without ending the call: every path must end with hangup(), reject(), voicemail() or transfer()`,
      };
    case 'error': {
      const stack = report.stack ? mapStack(report.stack, dp.filename, dp.map, dp.root) : undefined;
      const at = stack ? firstUserFrame(stack) : null;
      const message = `${report.name}: ${report.message}${at ? ` (at ${at})` : ''}`;
      return stack ? { result: 'error', message, stack } : { result: 'error', message };
    }
  }
}

/** The start function resolved with something that is not a report: a runtime bug or tampering. */
export function isReport(v: unknown): v is RunReport {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}

export function syncTimeout(dp: CompiledDialplan, limitMs: number): RunResult {
  return {
    result: 'timedOut',
    message: `dialplan '${dp.name}' ran for more than ${limitMs} ms of CPU without awaiting an operation; the call was stopped (other calls are unaffected)`,
  };
}
