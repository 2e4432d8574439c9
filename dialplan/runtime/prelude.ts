// Deterministic globals, installed before any dialplan code runs: a logical Date driven by the
// host's op replies, a seeded Math.random, console routed to the call log, and no WebAssembly,
// SharedArrayBuffer or Atomics. A fresh isolated-vm context has no timers, fetch or require, so
// with these replaced a call's behaviour depends only on its op replies (simulation, replay).
import { env, logicalNow, noteRandomRead, post } from './channel.ts';

let consoleCallId = '*';
/** In per-call contexts console output belongs to that call; in shared ones to the version ('*'). */
export function setConsoleCall(id: string): void {
  consoleCallId = id;
}

const g = globalThis as unknown as Record<string, unknown>;
for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) delete g[name];

const RealDate = Date;
function LogicalDate(this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) return new RealDate(logicalNow()).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [logicalNow()] : args, new.target);
}
// Its own prototype object (inheriting every Date method) carries `constructor`, so instances
// still say `constructor === Date`. Redefining `constructor` on the builtin Date.prototype instead
// makes V8 check the prototypes of every context in the isolate, alive or not yet collected:
// O(contexts) for each new context, ~0.4 ms at 2,000.
LogicalDate.prototype = Object.create(RealDate.prototype, { constructor: { value: LogicalDate, writable: true, configurable: true } }) as Date;
Object.defineProperties(LogicalDate, {
  now: { value: () => logicalNow(), writable: true, configurable: true },
  parse: { value: RealDate.parse, writable: true, configurable: true },
  UTC: { value: RealDate.UTC, writable: true, configurable: true },
  length: { value: 7 },
});
Object.defineProperty(globalThis, 'Date', { value: LogicalDate, writable: true, configurable: true });

// A 32-bit counter through a murmur-style mixer: fast, stateless apart from the counter, and good
// enough for picking a random agent (it is not for secrets, and nothing in a dialplan needs that).
let state = env.seed >>> 0;
function seededRandom(): number {
  noteRandomRead();
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
}
Object.defineProperty(Math, 'random', { value: seededRandom, writable: true, configurable: true });

/** Restarts the generator for a context made ahead of its call (see canRebase in channel.ts). */
export function reseed(seed: number): void {
  state = seed >>> 0;
}

function consoleMethod(level: 'info' | 'warn' | 'error') {
  return (...parts: unknown[]) => {
    const msg = parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' ');
    post(consoleCallId, 'log', { level, msg: msg.slice(0, 4000), data: null });
  };
}
Object.defineProperty(globalThis, 'console', {
  value: Object.freeze({
    log: consoleMethod('info'),
    info: consoleMethod('info'),
    debug: consoleMethod('info'),
    warn: consoleMethod('warn'),
    error: consoleMethod('error'),
  }),
  writable: true,
  configurable: true,
});

export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
