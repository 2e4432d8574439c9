// CPU time a child process has used so far (user + system), read from /proc: the SIP benchmark
// reports engine and app CPU per call, a figure far steadier than a rate on a shared machine.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const TICKS_PER_S = 100;

/** Milliseconds of CPU used by `pid` so far, or NaN when it cannot be read (process gone). */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** Starts measuring; the returned function gives µs of CPU per `units` since then. */
export function cpuMeter(pid: number | undefined): (units: number) => number {
  const start = cpuMs(pid);
  return (units) => ((cpuMs(pid) - start) * 1000) / Math.max(1, units);
}
