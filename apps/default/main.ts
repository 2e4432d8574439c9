// The default dialplan: what a fresh PBX does with each call. Every number is in CONFIG below; edit
// it and save (the PBX reloads this folder, and refuses a version that does not type-check, keeping
// the old one). The building blocks are in lib/ (IVR menu, ring group, conference room, …).
import { dialplan, inRange, schedule, type Call, type Digit, type Done, type Schedule, type ScheduleDefinition, type VoicemailCause } from '@pbx/dialplan';
import { conferenceRoom, type ConferenceRoom } from './lib/conference-room.ts';
import { echoTest, type EchoTest } from './lib/echo-test.ts';
import { callExtension, giveUp } from './lib/extension.ts';
import { runIvr, type IvrConfig, type IvrEnd } from './lib/ivr-menu.ts';
import { musicOnHold, type MusicOnHold } from './lib/music-on-hold.ts';
import { say, type Prompts } from './lib/prompts.ts';
import { ringGroup, type RingGroup } from './lib/ring-group.ts';

const CONFIG: DefaultConfig = {
  // 1000-1099 ring the phones registered as that extension, then its voicemail.
  extensions: { first: 1000, last: 1099, ringSeconds: 20 },
  // 600: 1001 rings for 15 s, then 1002 for 20 s, then a message for 1001.
  sales: {
    number: '600',
    strategy: 'sequential',
    members: [
      { extension: '1001', ringSeconds: 15 },
      { extension: '1002', ringSeconds: 20 },
    ],
    voicemail: { mailbox: '1001', cause: 408 },
  },
  // 500: the main number. In office hours a menu (a key stands for the number it dials, and a caller
  // may type any extension); after hours a message, then voicemail.
  mainNumber: {
    number: '500',
    timeZone: 'Europe/Berlin', // an IANA zone name
    hours: { 'mon-fri': '09:00-17:00' },
    closedOn: [], // holidays, e.g. '2025-12-25'
    menu: { prompt: 'basic-pbx-ivr-main', keys: { '1': '600', '2': '1001', '0': '1002' } },
    dialByExtension: true,
    operator: '1002', // after three wrong keys or three silences; null hangs up instead
    afterHours: { prompt: ['im-sorry', 'vm-nobodyavail'], mailbox: '1001', cause: 480 },
  },
  // 800: a conference room; PIN 1234 to join, 4321 as the moderator (the room ends when they leave).
  conference: {
    number: '800',
    room: 'conference-800',
    pins: { participant: '1234', moderator: '4321' },
    endWhenModeratorLeaves: true,
    maxMembers: 20,
  },
  // 700: music on hold until you hang up (a test line for phones and the media server).
  musicOnHold: { number: '700', music: 'default' },
  // *43: echo test (hear your own voice back, to check audio and latency).
  echoTest: { number: '*43' },
};

interface DefaultConfig {
  extensions: { first: number; last: number; ringSeconds: number };
  sales: RingGroup & { number: string };
  mainNumber: {
    number: string;
    timeZone: string;
    hours: ScheduleDefinition['hours'];
    closedOn: readonly string[];
    /** `keys` maps a key to a number of this dialplan: pressing it is like dialling that number. */
    menu: { prompt: Prompts; keys: Partial<Record<Digit, string>> };
    dialByExtension: boolean;
    operator: string | null;
    afterHours: { prompt: Prompts; mailbox: string; cause: VoicemailCause };
  };
  conference: ConferenceRoom & { number: string };
  musicOnHold: MusicOnHold & { number: string };
  echoTest: EchoTest & { number: string };
}

// Made by the first call that asks, not when the module loads: every call runs in a fresh copy of
// this module, and the schedule's time zone formatter costs about a quarter of a millisecond of CPU,
// which calls to extensions (most calls) never need.
let officeHours: Schedule | undefined;
const isOfficeOpen = (at: Date): boolean =>
  (officeHours ??= schedule({ tz: CONFIG.mainNumber.timeZone, hours: CONFIG.mainNumber.hours, closedOn: CONFIG.mainNumber.closedOn })).isOpen(at);

/** Menu keys route back through here; this many hops means a key leads round in a circle. */
const MAX_HOPS = 4;

export default dialplan((call) => route(call, call.dialed, 0));

async function route(call: Call, number: string, hops: number): Promise<Done> {
  const c = CONFIG;
  if (hops > MAX_HOPS) {
    call.log('routing loop', { number, hops });
    return giveUp(call, 404);
  }
  if (inRange(number, c.extensions.first, c.extensions.last)) {
    // null: the PBX knows no such user (404), as opposed to a known one who is busy or away.
    return (await callExtension(call, number, { ringSeconds: c.extensions.ringSeconds })) ?? giveUp(call, 404);
  }
  if (number === c.sales.number) return ringGroup(call, c.sales);
  if (number === c.mainNumber.number) return mainNumber(call, hops);
  if (number === c.conference.number) return conferenceRoom(call, c.conference);
  if (number === c.musicOnHold.number) return musicOnHold(call, c.musicOnHold);
  if (number === c.echoTest.number) return echoTest(call, c.echoTest);
  return giveUp(call, 404);
}

async function mainNumber(call: Call, hops: number): Promise<Done> {
  const m = CONFIG.mainNumber;
  if (isOfficeOpen(call.now())) return runIvr(call, mainMenu(hops));
  call.vars['afterHours'] = 'yes';
  await say(call, m.afterHours.prompt);
  return call.voicemail(m.afterHours.mailbox, { cause: m.afterHours.cause });
}

function mainMenu(hops: number): IvrConfig {
  const { mainNumber: m, extensions: x } = CONFIG;
  const dial = (n: string): IvrEnd => ({ run: (call) => route(call, n, hops + 1) });
  const options: IvrConfig['menu']['options'] = {};
  for (const [key, n] of Object.entries(m.menu.keys)) options[key as Digit] = dial(n);
  return {
    menu: { prompt: m.menu.prompt, options },
    // Extensions are typed in full: as many digits as the last one has.
    ...(m.dialByExtension && { dialByExtension: { digits: String(x.last).length, match: { from: x.first, to: x.last }, ringSeconds: x.ringSeconds } }),
    onExhausted: m.operator === null ? { hangup: true, announce: 'vm-goodbye' } : dial(m.operator),
  };
}
