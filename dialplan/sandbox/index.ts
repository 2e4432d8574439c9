// The sandbox contract: one Sandbox per compiled dialplan version. `isolated` is the real one
// (isolated-vm: own heap, memory limit, CPU watchdog); `unsafe` runs the same bundle in node:vm
// on the main thread, without isolation or limits, for stepping through a dialplan in a debugger.
import type { CompiledDialplan } from '../compiler/compile.ts';
import { createIsolatedSandbox } from './isolated/isolated-sandbox.ts';
import { DEFAULT_SANDBOX_OPTIONS, type Sandbox, type SandboxOptions } from './sandbox.ts';
import { createUnsafeSandbox } from './unsafe/unsafe-sandbox.ts';

export type { CallOutcome, RunResult } from './outcome.ts';
export { DEFAULT_SANDBOX_OPTIONS, memoryLimitMb, type ContextMode, type Sandbox, type SandboxOptions, type SandboxStats } from './sandbox.ts';

export type SandboxKind = 'isolated' | 'unsafe';

export function createSandbox(dialplan: CompiledDialplan, o: Partial<SandboxOptions> = {}, kind: SandboxKind = 'isolated'): Sandbox {
  const opts = { ...DEFAULT_SANDBOX_OPTIONS, ...o };
  return kind === 'isolated' ? createIsolatedSandbox(dialplan, opts) : createUnsafeSandbox(dialplan, opts);
}
