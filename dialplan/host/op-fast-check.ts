// A quick yes for the argument shapes the SDK sends on every call (answer, dial to extensions,
// hangup, play of plain prompts, …), so the bridge skips the zod parse for them: zod walks its
// schema tree and copies the input, ~20 µs per op, paid on every call's path.
//
// Only ever stricter than op-schemas.ts: `true` means the zod schema accepts these arguments as they
// are; `false` means "not sure", and the bridge parses with zod as before (which also words the
// error for arguments that are really wrong). A check here must never accept what zod refuses.
import type { SandboxOpName } from './op-schemas.ts';

type Rec = Record<string, unknown>;

/** A plain object (what a structured clone of an object literal gives) with only `allowed` keys. */
function plain(v: unknown, allowed: readonly string[]): v is Rec {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) if (!allowed.includes(k)) return false;
  return Object.getOwnPropertySymbols(v).length === 0;
}

const text = (v: unknown, max: number, min = 0): boolean => typeof v === 'string' && v.length <= max && v.length >= min;
const seconds = (v: unknown, max: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= max;
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);

const NONE: readonly string[] = [];
const empty = (a: unknown): boolean => plain(a, NONE);

/** A prompt given as a sound name or `{ file }` (the others go through zod). */
const simplePrompt = (p: unknown): boolean => text(p, 500) || (plain(p, ['file']) && text(p['file'], 500));

/** An extension target `{ kind: 'user', user, timeout? }`. */
const userTarget = (t: unknown): boolean =>
  plain(t, ['kind', 'user', 'timeout']) && t['kind'] === 'user' && text(t['user'], 100, 1) && optional(t['timeout'], (x) => seconds(x, 600));

const CHECKS: Partial<Record<SandboxOpName, (a: unknown) => boolean>> = {
  answer: empty,
  unhold: empty,
  hangup: empty,
  ring: (a) => plain(a, ['earlyMedia']) && typeof a['earlyMedia'] === 'boolean',
  sleep: (a) => plain(a, ['seconds']) && seconds(a['seconds'], 3600),
  setVar: (a) => plain(a, ['name', 'value']) && text(a['name'], 100, 1) && text(a['value'], 4000),
  log: (a) => plain(a, ['level', 'msg', 'data']) && (a['level'] === 'info' || a['level'] === 'warn' || a['level'] === 'error') && text(a['msg'], 4000) && a['data'] === null,
  hold: (a) => plain(a, ['music']) && (a['music'] === null || text(a['music'], 200)),
  voicemail: (a) => plain(a, ['mailbox', 'cause']) && text(a['mailbox'], 100, 1) && (a['cause'] === null || [302, 404, 408, 480, 486, 487, 503].includes(a['cause'] as number)),
  reject: (a) => plain(a, ['code', 'reason']) && [403, 404, 480, 486, 503, 603].includes(a['code'] as number) && (a['reason'] === null || text(a['reason'], 200)),
  play: (a) => {
    if (!plain(a, ['prompts', 'bargeIn']) || typeof a['bargeIn'] !== 'boolean') return false;
    const p = a['prompts'];
    return Array.isArray(p) && p.length >= 1 && p.length <= 20 && p.every(simplePrompt);
  },
  dial: (a) => {
    if (!plain(a, ['targets', 'strategy', 'timeout', 'ringback', 'callerId', 'holdMusic', 'maxDuration'])) return false;
    const t = a['targets'];
    return (
      Array.isArray(t) && t.length >= 1 && t.length <= 50 && t.every(userTarget) &&
      (a['strategy'] === 'parallel' || a['strategy'] === 'sequential') &&
      seconds(a['timeout'], 600) &&
      a['ringback'] === 'ring' &&
      a['callerId'] === null &&
      (a['holdMusic'] === false || text(a['holdMusic'], 200)) &&
      (a['maxDuration'] === null || seconds(a['maxDuration'], 86_400))
    );
  },
};

/** True when `args` are certainly valid for `op` as they are (no zod parse needed). */
export function clearlyValid(op: SandboxOpName, args: unknown): boolean {
  const check = CHECKS[op];
  return check !== undefined && check(args);
}
