// The runtime's logging seam: one function, so the PBX can route it into its own logger and tests
// can collect lines. Kept this small on purpose (core/sip's Logger adapts in one line).
export type LogLevel = 'info' | 'warn' | 'error';
export type DialplanLog = (level: LogLevel, msg: string) => void;

export const stderrLog: DialplanLog = (level, msg) => process.stderr.write(`${level.toUpperCase()} [dialplan] ${msg}\n`);
export const silentLog: DialplanLog = () => undefined;

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
