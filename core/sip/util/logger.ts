// Levelled logger whose debug calls cost one boolean check when disabled.
export type LogLevel = 'debug' | 'info' | 'notice' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, notice: 2, warn: 3, error: 4 };

export interface Logger {
  readonly debugEnabled: boolean;
  debug(msg: string): void;
  info(msg: string): void;
  notice(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(level: LogLevel, name: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = ORDER[level];
  const emit = (lvl: LogLevel) => (msg: string) => {
    if (ORDER[lvl] >= min) sink(`${new Date().toISOString()} ${lvl.toUpperCase()} [${name}] ${msg}`);
  };
  return {
    debugEnabled: min === 0,
    debug: emit('debug'),
    info: emit('info'),
    notice: emit('notice'),
    warn: emit('warn'),
    error: emit('error'),
  };
}
