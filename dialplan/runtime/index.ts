// What `import … from '@pbx/dialplan'` resolves to inside the sandbox bundle. The annotations tie
// each value to its declaration in sdk/index.d.ts, so the shipped types and the code cannot drift.
import type * as Sdk from '@pbx/dialplan';
import { Hangup as HangupImpl } from './errors.ts';
import { inRange as inRangeImpl, pattern as patternImpl } from './pattern.ts';
import { schedule as scheduleImpl } from './schedule.ts';

export const Hangup: typeof Sdk.Hangup = HangupImpl;
export const pattern: typeof Sdk.pattern = patternImpl;
export const inRange: typeof Sdk.inRange = inRangeImpl;
export const schedule: typeof Sdk.schedule = scheduleImpl;

export const dialplan: typeof Sdk.dialplan = (fn) => {
  if (typeof fn !== 'function') throw new TypeError('dialplan(fn): fn must be an async function (call) => Done');
  return fn;
};
