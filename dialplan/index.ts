// The dialplan runtime's surface for the rest of the PBX. core/pbx implements `CallHost` for real
// calls and calls `service.run(name, callInfo)` per INVITE; everything else stays inside dialplan/.
export { DialplanService, type DialplanServiceOptions } from './service/dialplan-service.ts';
export { DEFAULT_FALLBACK, runCall, type FallbackPolicy } from './service/run-call.ts';
export type { CallHost, OpError, OpReply } from './host/call-host.ts';
export { party, seedFromId, type CallInfo } from './host/call-info.ts';
export type { OpArgs, OpName, OpRequest, OpValue, CollectValue, ConferenceValue, DialTargetArg, FallbackArgs, FallbackValue, TerminalOp } from './host/ops.ts';
export { voicemailRequestUri } from './host/rfc4458.ts';
export { compileDialplan, type CompiledDialplan, type CompileResult } from './compiler/compile.ts';
export { formatDiagnostics, type Diagnostic } from './compiler/diagnostics.ts';
export { createSandbox, DEFAULT_SANDBOX_OPTIONS, type CallOutcome, type RunResult, type Sandbox, type SandboxKind, type SandboxOptions } from './sandbox/index.ts';
export type { DialplanStatus } from './reload/registry.ts';
export type { DialplanLog, LogLevel } from './util/log.ts';
