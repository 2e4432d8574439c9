import { describe, expect, it } from 'vitest';
import { schedule } from './schedule.ts';

describe('schedule (IANA time zones)', () => {
  const office = schedule({ tz: 'Europe/Berlin', hours: { 'mon-thu': '08:30-17:30', fri: ['08:30-12:00', '13:00-15:00'] }, closedOn: ['2025-12-25'] });

  it('evaluates local time, including across DST', () => {
    expect(office.isOpen(new Date('2025-03-28T07:29:00Z'))).toBe(false); // Fri 08:29 CET
    expect(office.isOpen(new Date('2025-03-28T07:30:00Z'))).toBe(true); // Fri 08:30 CET
    expect(office.isOpen(new Date('2025-03-28T11:30:00Z'))).toBe(false); // Fri 12:30 lunch
    expect(office.isOpen(new Date('2025-03-31T06:30:00Z'))).toBe(true); // Mon 08:30 CEST
    expect(office.isOpen(new Date('2025-03-31T15:30:00Z'))).toBe(false); // Mon 17:30 CEST, end is exclusive
    expect(office.isOpen(new Date('2025-03-29T10:00:00Z'))).toBe(false); // Saturday
  });

  it('closedOn is a local date', () => {
    expect(office.isOpen(new Date('2025-12-25T09:00:00+01:00'))).toBe(false);
    expect(office.isOpen(new Date('2025-12-24T23:30:00Z'))).toBe(false); // already the 25th in Berlin
    expect(office.isOpen(new Date('2025-12-29T09:00:00+01:00'))).toBe(true);
  });

  it('ranges past midnight and day ranges that wrap the week', () => {
    const night = schedule({ tz: 'America/New_York', hours: { 'fri-mon': '22:00-06:00' } });
    expect(night.isOpen(new Date('2025-01-11T04:00:00Z'))).toBe(true); // Fri 23:00 EST
    expect(night.isOpen(new Date('2025-01-14T10:00:00Z'))).toBe(true); // Tue 05:00, from Monday night
    expect(night.isOpen(new Date('2025-01-15T10:00:00Z'))).toBe(false); // Wed 05:00
  });

  it('refuses bad definitions when made', () => {
    expect(() => schedule({ tz: 'Mars/Olympus', hours: {} })).toThrow("unknown time zone 'Mars/Olympus'");
    expect(() => schedule({ tz: 'UTC', hours: { mon: '8:30-17:30' } })).toThrow("'8:30-17:30' is not a range");
    expect(() => schedule({ tz: 'UTC', hours: { mon: '08:30-24:01' } })).toThrow('is not a range');
    expect(() => schedule({ tz: 'UTC', hours: { ['mon-xyz' as 'mon']: '08:00-09:00' } })).toThrow('not a weekday');
    expect(() => schedule({ tz: 'UTC', hours: {}, closedOn: ['25.12.2025'] })).toThrow('YYYY-MM-DD');
  });
});
