// The prompts exist where the media server looks for them, and numbers, digits, counts and
// dates are spoken with the right files in the right order.
import { describe, expect, it } from 'vitest';
import type { PlayItem } from '../../core/pbx/calls/media-call.ts';
import { promptExists } from '../deposit/fake-media-call.ts';
import { PROMPTS } from './prompts.ts';
import { sayCounts, sayDigits, sayNumber } from './say.ts';
import { sayDateTime } from './say-time.ts';

const files = (items: PlayItem[]) => items.map((i) => ('file' in i ? i.file : '?'));

describe('prompts', () => {
  it('every prompt the flows name is installed in the media server sound directories', () => {
    const missing = Object.values(PROMPTS).filter((p) => !promptExists(p));
    expect(missing).toEqual([]);
  });

  it('every number, mailbox character and date part it can say has a file', () => {
    const all = new Set<string>();
    for (let n = 0; n <= 2100; n++) files(sayNumber(n)).forEach((f) => all.add(f));
    files(sayDigits('0123456789abcdefghijklmnopqrstuvwxyz*#._-+@')).forEach((f) => all.add(f));
    for (let d = 0; d < 400; d++) files(sayDateTime(Date.UTC(2024, 0, 1) + d * 86_400_000 + d * 3_660_000, 'UTC')).forEach((f) => all.add(f));
    expect([...all].filter((f) => !promptExists(f))).toEqual([]);
    expect(all.size).toBeGreaterThan(100);
  });
});

describe('say', () => {
  it('says numbers as words', () => {
    expect(files(sayNumber(0))).toEqual(['digits/0']);
    expect(files(sayNumber(7))).toEqual(['digits/7']);
    expect(files(sayNumber(20))).toEqual(['digits/20']);
    expect(files(sayNumber(241))).toEqual(['digits/2', 'digits/hundred', 'digits/40', 'digits/1']);
    expect(files(sayNumber(1005))).toEqual(['digits/1', 'digits/thousand', 'digits/5']);
    expect(files(sayNumber(-3))).toEqual(['digits/3']);
  });

  it('says mailbox names character by character', () => {
    expect(files(sayDigits('10a.'))).toEqual(['digits/1', 'digits/0', 'letters/a', 'letters/dot']);
  });

  it('says message counts with singular and plural', () => {
    expect(files(sayCounts({ newCount: 0, oldCount: 0 }))).toEqual(['vm-youhave', 'vm-no', 'vm-messages']);
    expect(files(sayCounts({ newCount: 1, oldCount: 0 }))).toEqual(['vm-youhave', 'digits/1', 'vm-INBOX', 'vm-message']);
    expect(files(sayCounts({ newCount: 2, oldCount: 1 }))).toEqual([
      'vm-youhave', 'digits/2', 'vm-INBOX', 'vm-messages', 'vm-and', 'digits/1', 'vm-Old', 'vm-message',
    ]);
    expect(files(sayCounts({ newCount: 0, oldCount: 12 }))).toEqual(['vm-youhave', 'digits/12', 'vm-Old', 'vm-messages']);
  });

  it('says a date and time: weekday, month, ordinal day, hour, minutes, am/pm', () => {
    // Sunday 21 January 2024, 15:05 UTC.
    expect(files(sayDateTime(Date.UTC(2024, 0, 21, 15, 5), 'UTC'))).toEqual([
      'digits/day-0', 'digits/mon-0', 'digits/20', 'digits/h-1', 'digits/at', 'digits/3', 'digits/oh', 'digits/5', 'digits/p-m',
    ]);
    // Friday 1 March 2024, 00:00 UTC is 12 a.m.
    expect(files(sayDateTime(Date.UTC(2024, 2, 1, 0, 0), 'UTC'))).toEqual([
      'digits/day-5', 'digits/mon-2', 'digits/h-1', 'digits/at', 'digits/12', 'digits/oclock', 'digits/a-m',
    ]);
    expect(files(sayDateTime(Date.UTC(2024, 11, 30, 11, 45), 'UTC')).slice(2, 7)).toEqual(['digits/h-30', 'digits/at', 'digits/11', 'digits/40', 'digits/5']);
  });
});
