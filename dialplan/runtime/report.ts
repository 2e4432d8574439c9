// How one run ends, as the isolate reports it to the host (plain data: it is copied out).
import type { TerminalOp } from '../host/ops.ts';

export type RunReport =
  | { kind: 'done'; terminal: TerminalOp }
  | { kind: 'hangup'; by: 'caller' | 'system' }
  | { kind: 'fellthrough'; returned: string }
  | { kind: 'error'; name: string; message: string; stack: string | null };
