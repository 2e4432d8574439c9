// A configurable IVR: nested menus, each with its prompt, its keys and its retry rules; optional
// dial-by-extension (a caller types a whole extension instead of a key); and one action for a caller
// who gives no usable answer. The config is plain typed data (plus `run` for anything custom), so a
// mistyped action or key does not compile.
import { inRange, pattern, type Call, type Digit, type Done, type VoicemailCause } from '@pbx/dialplan';
import { conferenceRoom, type ConferenceRoom } from '../conference-room/conference-room.ts';
import { callExtension, giveUp } from '../lib/extension.ts';
import { promptList, say, type Prompts } from '../lib/prompts.ts';
import { ringGroup, type RingGroup } from '../lib/ring-group.ts';

/** Actions that end the IVR (the call goes on elsewhere or ends). */
export type IvrEnd =
  /** Ring the extension, then its mailbox (or `mailbox`, or none with false) on a miss. */
  | { extension: string; ringSeconds?: number; mailbox?: string | false }
  | { ringGroup: RingGroup }
  | { voicemail: string; cause?: VoicemailCause }
  | { conference: ConferenceRoom }
  | { hangup: true }
  /** Anything else: another app, or a number routed by the dialplan that runs this IVR. */
  | { run: (call: Call) => Promise<Done> };

export type IvrAction = IvrEnd | { submenu: IvrMenu } | { back: true };

/** Every action may first play a prompt, e.g. "Please hold while I try that extension" ('transfer'). */
export type IvrOption = IvrAction & { announce?: Prompts };

export interface RetryRules {
  /** Seconds to wait for a key after the prompt (default 5). */
  timeout?: number;
  /** Wrong keys allowed before `onExhausted` (default 3). */
  maxInvalid?: number;
  /** Silent waits allowed before `onExhausted` (default 3). */
  maxTimeouts?: number;
  /** Before the menu is offered again after a wrong key (default 'pm-invalid-option'). */
  invalidPrompt?: Prompts;
  /** Before the menu is offered again after silence (default: none, the menu simply repeats). */
  timeoutPrompt?: Prompts;
}

export interface IvrMenu extends RetryRules {
  /** Played at every try; a key press interrupts it. */
  prompt: Prompts;
  options: Partial<Record<Digit, IvrOption>>;
}

export interface DialByExtension {
  /** Length of an extension: the menu listens for up to this many digits. */
  digits: number;
  /** Which numbers are extensions: an Asterisk pattern ('_1XXX') or an inclusive range. */
  match: string | { from: number; to: number };
  /** Seconds to wait for the next digit; a single key followed by this pause is a menu choice. (default 2) */
  interDigitTimeout?: number;
  ringSeconds?: number;
  announce?: Prompts;
  /** A number that is no extension (default 'pbx-invalid': "that's not a valid extension"). */
  unknownPrompt?: Prompts;
}

export interface IvrConfig extends RetryRules {
  menu: IvrMenu;
  /** Applies in every menu; a menu key wins over an extension of one digit. */
  dialByExtension?: DialByExtension;
  /** When the caller's tries run out: typically the operator's extension, or a hangup. */
  onExhausted: IvrEnd & { announce?: Prompts };
  /** Menus visited (moves between menus included) before `onExhausted` (default 20). */
  maxSteps?: number;
}

export const IVR_DEFAULTS = {
  timeout: 5,
  maxInvalid: 3,
  maxTimeouts: 3,
  invalidPrompt: 'pm-invalid-option',
  unknownPrompt: 'pbx-invalid',
  interDigitTimeout: 2,
  maxSteps: 20,
} as const;

type Choice = { kind: 'key'; key: Digit; option: IvrOption } | { kind: 'extension'; extension: string } | { kind: 'exhausted' };
type IsExtension = (digits: string) => boolean;

export async function runIvr(call: Call, ivr: IvrConfig): Promise<Done> {
  const isExtension = extensionMatcher(ivr.dialByExtension);
  const stack: IvrMenu[] = [];
  const path: string[] = [];
  let menu = ivr.menu;
  const steps = Math.max(1, ivr.maxSteps ?? IVR_DEFAULTS.maxSteps);
  for (let step = 0; step < steps; step++) {
    const choice = await ask(call, menu, ivr, isExtension);
    path.push(choice.kind === 'key' ? choice.key : choice.kind === 'extension' ? `ext:${choice.extension}` : 'exhausted');
    call.vars['ivr'] = path.join(' '); // the caller's way through the menus, for the CDR
    if (choice.kind === 'exhausted') return finish(call, ivr.onExhausted);
    if (choice.kind === 'extension') {
      const dbe = ivr.dialByExtension!;
      await say(call, dbe.announce);
      const done = await callExtension(call, choice.extension, { ...(dbe.ringSeconds !== undefined && { ringSeconds: dbe.ringSeconds }) });
      if (done) return done;
      await say(call, dbe.unknownPrompt ?? IVR_DEFAULTS.unknownPrompt);
      continue;
    }
    const o = choice.option;
    await say(call, o.announce);
    if ('submenu' in o) {
      stack.push(menu);
      menu = o.submenu;
    } else if ('back' in o) {
      menu = stack.pop() ?? menu;
    } else {
      return perform(call, o);
    }
  }
  call.log('ivr: too many steps', { steps });
  return finish(call, ivr.onExhausted);
}

/** One menu: offer it until the caller picks a key or an extension, or the tries run out. */
async function ask(call: Call, menu: IvrMenu, ivr: IvrConfig, isExtension: IsExtension): Promise<Choice> {
  const rule = <K extends keyof RetryRules>(k: K): RetryRules[K] => menu[k] ?? ivr[k];
  const maxInvalid = Math.max(1, rule('maxInvalid') ?? IVR_DEFAULTS.maxInvalid);
  const maxTimeouts = Math.max(1, rule('maxTimeouts') ?? IVR_DEFAULTS.maxTimeouts);
  const dbe = ivr.dialByExtension;
  let invalid = 0;
  let timeouts = 0;
  // Each pass counts one failure or returns, so this ends after maxInvalid + maxTimeouts - 1 tries.
  while (invalid < maxInvalid && timeouts < maxTimeouts) {
    const r = await call.collect({
      prompt: promptList(menu.prompt),
      max: dbe ? dbe.digits : 1,
      min: 1,
      timeout: rule('timeout') ?? IVR_DEFAULTS.timeout,
      interDigitTimeout: dbe?.interDigitTimeout ?? IVR_DEFAULTS.interDigitTimeout,
      terminators: dbe && menu.options['#'] === undefined ? '#' : '',
    });
    if (!r.ok && r.reason === 'timeout') {
      if (++timeouts < maxTimeouts) await say(call, rule('timeoutPrompt'));
      continue;
    }
    const key = r.digits.length === 1 ? (r.digits as Digit) : undefined;
    const option = key === undefined ? undefined : menu.options[key];
    if (key !== undefined && option !== undefined) return { kind: 'key', key, option };
    if (dbe && isExtension(r.digits)) return { kind: 'extension', extension: r.digits };
    call.log('ivr: invalid input', { digits: r.digits });
    const retry = r.digits.length > 1 && dbe ? (dbe.unknownPrompt ?? IVR_DEFAULTS.unknownPrompt) : (rule('invalidPrompt') ?? IVR_DEFAULTS.invalidPrompt);
    if (++invalid < maxInvalid) await say(call, retry);
  }
  return { kind: 'exhausted' };
}

function extensionMatcher(d: DialByExtension | undefined): IsExtension {
  if (!d) return () => false;
  if (typeof d.match === 'string') {
    const re = pattern(d.match);
    return (s) => s.length === d.digits && re.test(s);
  }
  const { from, to } = d.match;
  return (s) => s.length === d.digits && inRange(s, from, to);
}

async function finish(call: Call, a: IvrConfig['onExhausted']): Promise<Done> {
  await say(call, a.announce);
  return perform(call, a);
}

async function perform(call: Call, a: IvrEnd): Promise<Done> {
  if ('extension' in a) {
    const o = { ...(a.ringSeconds !== undefined && { ringSeconds: a.ringSeconds }), ...(a.mailbox !== undefined && { mailbox: a.mailbox }) };
    return (await callExtension(call, a.extension, o)) ?? giveUp(call, 404);
  }
  if ('ringGroup' in a) return ringGroup(call, a.ringGroup);
  if ('voicemail' in a) return call.voicemail(a.voicemail, a.cause === undefined ? {} : { cause: a.cause });
  if ('conference' in a) return conferenceRoom(call, a.conference);
  if ('run' in a) return a.run(call);
  return call.hangup();
}
