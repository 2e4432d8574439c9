// Opening hours in an IANA time zone, evaluated with Intl (which works inside the isolate), e.g.
// schedule({ tz: 'Europe/Berlin', hours: { 'mon-fri': '08:30-17:30', sat: ['09:00-12:00'] } }).
// Definitions are checked when the schedule is made, so a typo fails the call at its first use
// of the module (and in the simulator), not silently at 3 a.m.
import type { Schedule, ScheduleDefinition, Weekday } from '@pbx/dialplan';

const DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SHORT: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
type Range = readonly [from: number, to: number]; // minutes since local midnight, `to` exclusive

export function schedule(def: ScheduleDefinition): Schedule {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: def.tz,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    throw new RangeError(`schedule: unknown time zone '${def.tz}' (use an IANA name such as 'Europe/Berlin')`);
  }
  const week: Range[][] = DAYS.map(() => []);
  for (const [key, value] of Object.entries(def.hours)) {
    const list: readonly string[] = typeof value === 'string' ? [value] : (value ?? []);
    for (const day of dayList(key)) for (const r of list) addRange(week, day, r);
  }
  const closed = new Set(def.closedOn ?? []);
  for (const d of closed) if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new SyntaxError(`schedule: closedOn '${d}' is not YYYY-MM-DD`);

  return {
    isOpen(at: Date): boolean {
      const parts: Record<string, string> = {};
      for (const p of fmt.formatToParts(at)) parts[p.type] = p.value;
      if (closed.has(`${parts['year']}-${parts['month']}-${parts['day']}`)) return false;
      const day = SHORT[parts['weekday'] ?? ''];
      if (day === undefined) return false;
      const minute = Number(parts['hour']) * 60 + Number(parts['minute']);
      return week[day]!.some(([from, to]) => minute >= from && minute < to);
    },
  };
}

function dayList(key: string): number[] {
  const [a, b] = key.split('-');
  const from = DAYS.indexOf(a as Weekday);
  const to = b === undefined ? from : DAYS.indexOf(b as Weekday);
  if (from < 0 || to < 0) throw new SyntaxError(`schedule: '${key}' is not a weekday or a range such as 'mon-fri'`);
  const out: number[] = [];
  for (let d = from, n = 0; n < 7; d = (d + 1) % 7, n++) {
    out.push(d);
    if (d === to) break;
  }
  return out;
}

/** An end at or before the start runs past midnight into the next day. */
function addRange(week: Range[][], day: number, text: string): void {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  const from = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const to = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  if (!m || from >= 1440 || to > 1440 || Number(m[2]) > 59 || Number(m[4]) > 59) {
    throw new SyntaxError(`schedule: '${text}' is not a range such as '08:30-17:30'`);
  }
  if (to > from) week[day]!.push([from, to]);
  else {
    week[day]!.push([from, 1440]);
    if (to > 0) week[(day + 1) % 7]!.push([0, to]);
  }
}
