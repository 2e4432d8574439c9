import { describe, expect, it } from 'vitest';
import { clearlyValid } from './op-fast-check.ts';
import { sandboxOpSchemas, type SandboxOpName } from './op-schemas.ts';

// What the SDK sends on a typical call: these skip zod.
const COMMON: [SandboxOpName, unknown][] = [
  ['answer', {}],
  ['hangup', {}],
  ['unhold', {}],
  ['ring', { earlyMedia: true }],
  ['sleep', { seconds: 0 }],
  ['setVar', { name: 'missed', value: 'busy' }],
  ['log', { level: 'info', msg: 'missed', data: null }],
  ['hold', { music: null }],
  ['voicemail', { mailbox: '1001', cause: 486 }],
  ['reject', { code: 480, reason: null }],
  ['play', { prompts: ['vm-goodbye', { file: '/x.wav' }], bargeIn: false }],
  ['dial', { targets: [{ kind: 'user', user: '1001' }, { kind: 'user', user: '1002', timeout: 15 }], strategy: 'sequential', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
];

// Near misses: each breaks one rule of the schema (and must not be waved through).
const BROKEN: [SandboxOpName, unknown][] = [
  ['answer', { extra: 1 }],
  ['answer', null],
  ['answer', []],
  ['answer', new Date(0)],
  ['hangup', Object.create({ inherited: 1 })],
  ['ring', { earlyMedia: 'yes' }],
  ['ring', {}],
  ['sleep', { seconds: -1 }],
  ['sleep', { seconds: Number.NaN }],
  ['sleep', { seconds: 3601 }],
  ['setVar', { name: '', value: 'x' }],
  ['setVar', { name: 'x'.repeat(101), value: 'x' }],
  ['setVar', { name: 'x', value: 'x'.repeat(4001) }],
  ['log', { level: 'debug', msg: 'x', data: null }],
  ['log', { level: 'info', msg: 'x' }],
  ['hold', { music: 3 }],
  ['voicemail', { mailbox: '1001', cause: 500 }],
  ['voicemail', { mailbox: '', cause: null }],
  ['reject', { code: 500, reason: null }],
  ['reject', { code: 480, reason: 'x'.repeat(201) }],
  ['play', { prompts: [], bargeIn: false }],
  ['play', { prompts: Array.from({ length: 21 }, () => 'a'), bargeIn: false }],
  ['play', { prompts: ['x'.repeat(501)], bargeIn: false }],
  ['play', { prompts: [{ file: 'a', extra: 1 }], bargeIn: false }],
  ['play', { prompts: ['a'] }],
  ['dial', { targets: [], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '' }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '1', timeout: 601 }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '1', x: 1 }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '1' }], strategy: 'random', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '1' }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: true, maxDuration: null }],
  ['dial', { targets: [{ kind: 'user', user: '1' }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default', maxDuration: 86_401 }],
  ['dial', { targets: [{ kind: 'user', user: '1' }], strategy: 'parallel', timeout: 20, ringback: 'ring', callerId: null, holdMusic: 'default' }],
];

describe('clearlyValid (the bridge skips zod only for arguments zod accepts)', () => {
  it('accepts the common shapes, all of which zod accepts too', () => {
    for (const [op, args] of COMMON) {
      expect(sandboxOpSchemas[op].safeParse(args).success, `${op} ${JSON.stringify(args)}`).toBe(true);
      expect(clearlyValid(op, args), `${op} ${JSON.stringify(args)}`).toBe(true);
    }
  });

  it('leaves every near miss to zod, which refuses it', () => {
    for (const [op, args] of BROKEN) {
      expect(sandboxOpSchemas[op].safeParse(args).success, `${op} ${JSON.stringify(args)}`).toBe(false);
      expect(clearlyValid(op, args), `${op} ${JSON.stringify(args)}`).toBe(false);
    }
  });

  it('never says yes where zod says no, over arguments mutated at random', () => {
    // A seeded generator: every run tries the same values.
    let s = 12345;
    const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
    const values: unknown[] = [undefined, null, true, false, 0, -1, 1.5, 600, 601, 3600, 86_401, Number.NaN, Infinity, '', '1001', 'x'.repeat(150), 'info', 'ring', 'parallel', 'user', [], [{}], {}, { kind: 'user', user: '1' }];
    const mutate = (v: unknown, depth: number): unknown => {
      if (depth > 3 || rnd(4) === 0) return values[rnd(values.length)];
      if (Array.isArray(v)) return v.map((x) => (rnd(3) === 0 ? mutate(x, depth + 1) : x));
      if (typeof v === 'object' && v !== null) {
        const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        const keys = Object.keys(o);
        if (keys.length && rnd(5) === 0) delete o[keys[rnd(keys.length)]!];
        else if (rnd(7) === 0) o[['extra', 'timeout', 'data', 'kind'][rnd(4)]!] = values[rnd(values.length)];
        else if (keys.length) o[keys[rnd(keys.length)]!] = mutate(o[keys[rnd(keys.length)]!], depth + 1);
        return o;
      }
      return values[rnd(values.length)];
    };
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const [target, base] = COMMON[rnd(COMMON.length)]!;
      const args = mutate(base, 0);
      if (clearlyValid(target, args)) {
        fast++;
        expect(sandboxOpSchemas[target].safeParse(args).success, `${target} ${JSON.stringify(args)}`).toBe(true);
      }
    }
    expect(fast).toBeGreaterThan(100); // the check did run on valid shapes too
  });
});
