// "Monday, January twenty first, at three oh five p m" from Asterisk's digits/ files, for the
// message envelope. The time zone is the server's unless one is given.
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
import { sayNumber } from './say.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function sayDateTime(ms: number, timeZone?: string): PlayItem[] {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hour12: true,
  });
  const part = (type: Intl.DateTimeFormatPartTypes) => fmt.formatToParts(new Date(ms)).find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour'));
  const minute = Number(part('minute'));
  const f = (file: string): PlayItem => ({ file });
  return [
    f(`digits/day-${WEEKDAYS.indexOf(part('weekday'))}`),
    f(`digits/mon-${Number(part('month')) - 1}`),
    ...ordinal(Number(part('day'))),
    f('digits/at'),
    ...sayNumber(hour),
    ...(minute === 0 ? [f('digits/oclock')] : minute < 10 ? [f('digits/oh'), ...sayNumber(minute)] : sayNumber(minute)),
    f(/pm/i.test(part('dayPeriod')) ? 'digits/p-m' : 'digits/a-m'),
  ];
}

/** 1..31 as "first" … "thirty first": h-1..h-20 and h-30 exist, the rest are "twenty" + "first". */
function ordinal(day: number): PlayItem[] {
  if (day <= 20 || day === 30) return [{ file: `digits/h-${day}` }];
  return [{ file: `digits/${day - (day % 10)}` }, { file: `digits/h-${day % 10}` }];
}
