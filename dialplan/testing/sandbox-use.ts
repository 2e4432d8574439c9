// Helpers for tests that hold a sandbox mode to the promise of isolation between calls.
import type { Sandbox } from '../sandbox/index.ts';
import type { SimResult } from '../simulator/index.ts';

/** Runs `body` with the sandbox and disposes of it afterwards, whatever happened. */
export async function usingSandbox<T>(sb: Sandbox, body: (sb: Sandbox) => Promise<T>): Promise<T> {
  try {
    return await body(sb);
  } finally {
    await sb.dispose();
  }
}

/** Everything a call can observe, in a comparable form. */
export const observed = (r: SimResult) => ({ outcome: r.outcome, end: r.end, logs: r.logs, trace: r.trace, vars: r.vars });
