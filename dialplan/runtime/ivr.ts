// Digit collection, menus and PIN entry, composed from the host's single `collect` primitive plus
// `play`: attempts, validation and retry prompts live here, so every host implements one thing.
import type { CollectOptions, CollectResult, ConferenceOptions, Digit, MenuOptions } from '@pbx/dialplan';
import type { OpArgs, OpValue } from '../host/ops.ts';
import type { SandboxOpName } from '../host/op-schemas.ts';
import { promptList } from './args.ts';

export type Exec = <K extends SandboxOpName>(op: K, args: OpArgs<K>) => Promise<OpValue<K>>;

export async function collectDigits(exec: Exec, o: CollectOptions): Promise<CollectResult> {
  const attempts = Math.max(1, Math.min(o.attempts ?? 1, 10));
  let last: CollectResult = { ok: false, digits: '', reason: 'timeout' };
  for (let i = 1; i <= attempts; i++) {
    const r = await exec('collect', {
      prompts: promptList(o.prompt),
      max: o.max,
      min: o.min ?? 1,
      timeout: o.timeout ?? 5,
      interDigitTimeout: o.interDigitTimeout ?? 3,
      terminators: o.terminators ?? '#',
    });
    if (r.endedBy === 'timeout' && r.digits === '') {
      last = { ok: false, digits: '', reason: 'timeout' };
      continue;
    }
    if (o.valid) o.valid.lastIndex = 0; // a /g regex keeps state between test() calls
    if (r.digits.length >= (o.min ?? 1) && (!o.valid || o.valid.test(r.digits))) {
      return { ok: true, digits: r.digits, endedBy: r.endedBy === 'timeout' ? 'inter-digit-timeout' : r.endedBy };
    }
    last = { ok: false, digits: r.digits, reason: 'invalid' };
    if (o.invalidPrompt !== undefined && i < attempts) await exec('play', { prompts: promptList(o.invalidPrompt), bargeIn: false });
  }
  return last;
}

export async function menu<K extends Digit>(exec: Exec, o: MenuOptions<K>): Promise<K | null> {
  const attempts = Math.max(1, Math.min(o.attempts ?? 3, 10));
  for (let i = 1; i <= attempts; i++) {
    const r = await exec('collect', {
      prompts: promptList(o.prompt),
      max: 1,
      min: 1,
      timeout: o.timeout ?? 5,
      interDigitTimeout: o.timeout ?? 5,
      terminators: '',
    });
    const choice = o.options.find((k) => k === r.digits);
    if (choice !== undefined) return choice;
    const retry = r.digits === '' ? (o.noInputPrompt ?? o.invalidPrompt) : o.invalidPrompt;
    if (retry !== undefined && i < attempts) await exec('play', { prompts: promptList(retry), bargeIn: false });
  }
  return null;
}

/** True when the caller entered one of the PINs within the allowed attempts. */
export async function checkPin(exec: Exec, o: ConferenceOptions): Promise<boolean> {
  const pins = typeof o.pin === 'string' ? [o.pin] : [...(o.pin ?? [])];
  const longest = Math.max(...pins.map((p) => p.length), 1);
  const r = await collectDigits(exec, {
    prompt: o.pinPrompt ?? 'conf/enter-pin',
    max: longest,
    min: 1,
    timeout: 10,
    attempts: o.pinAttempts ?? 3,
    invalidPrompt: 'conf/bad-pin',
    valid: new RegExp(`^(?:${pins.map((p) => p.replace(/[^0-9]/g, '\\$&')).join('|')})$`),
  });
  return r.ok && pins.includes(r.digits);
}
