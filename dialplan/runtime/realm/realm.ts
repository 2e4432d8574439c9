// What every dialplan instance in one context shares, installed once per context before any
// dialplan code runs: deterministic stand-ins for the clock (Date), Math.random and console, and no
// WebAssembly, SharedArrayBuffer or Atomics. A fresh isolated-vm context has no timers, fetch or
// require, so with these a call's behaviour depends only on its op replies (simulation, replay).
//
// The stand-ins answer for the instance that has control: each instance (one per call, or one for
// all calls in a shared context) enters the realm whenever the host hands it control, and its
// promise continuations run before the host's next task, so what they read is their own call's.
// In 'frozen' mode the realm is then frozen (harden.ts): calls share the built-ins but cannot
// change them, so each call's fresh module instance sees exactly what a fresh context would.
import { hardenRealm } from './harden.ts';

/** One instance's view of the realm's nondeterministic parts. */
export interface Tenant {
  now(): number;
  random(): number;
  log(level: 'info' | 'warn' | 'error', parts: unknown[]): void;
}

/** Makes `t` the instance the realm's clock, Math.random and console answer for. */
export type EnterRealm = (t: Tenant) => void;

export function setupRealm(freeze: boolean): EnterRealm {
  let current: Tenant | null = null;
  const tenant = (): Tenant => {
    if (current === null) throw new Error('dialplan runtime: no call is running in this context');
    return current;
  };

  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) delete g[name];

  const RealDate = Date;
  function LogicalDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(tenant().now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [tenant().now()] : args, new.target);
  }
  // Its own prototype object (inheriting every Date method) carries `constructor`, so instances
  // still say `constructor === Date`. Redefining `constructor` on the builtin Date.prototype instead
  // makes V8 check the prototypes of every context in the isolate, alive or not yet collected:
  // O(contexts) for each new context, ~0.4 ms at 2,000.
  LogicalDate.prototype = Object.create(RealDate.prototype, { constructor: { value: LogicalDate, writable: true, configurable: true } }) as Date;
  Object.defineProperties(LogicalDate, {
    now: { value: () => tenant().now(), writable: true, configurable: true },
    parse: { value: RealDate.parse, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
    length: { value: 7 },
  });
  Object.defineProperty(globalThis, 'Date', { value: LogicalDate, writable: true, configurable: true });
  Object.defineProperty(Math, 'random', { value: () => tenant().random(), writable: true, configurable: true });

  const method = (level: 'info' | 'warn' | 'error') => (...parts: unknown[]) => tenant().log(level, parts);
  Object.defineProperty(globalThis, 'console', {
    value: Object.freeze({ log: method('info'), info: method('info'), debug: method('info'), warn: method('warn'), error: method('error') }),
    writable: true,
    configurable: true,
  });

  if (freeze) hardenRealm();
  return (t) => {
    current = t;
  };
}
