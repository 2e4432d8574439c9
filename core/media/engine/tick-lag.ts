// Per-tick lag of the media clock: how late each tick *finished* against the moment it fell due
// (timer lateness plus the tick's own work). A tick finishing within `tickMs` of its due time still
// delivers its packets before the next one is due; the conference target reads the p99 of this.
// Kept as a cumulative histogram so a reader (status over the control socket) can take two
// snapshots and get exact counts for the ticks in between, with no sampling by polling.

/** Bucket width; lag is recorded with this resolution. */
export const TICK_LAG_BUCKET_MS = 0.25;
/** Buckets cover [0, 250 ms); the last bucket also takes every later tick and every skipped one. */
const BUCKETS = 1000;

export interface TickLagSnapshot {
  bucketMs: number;
  /** counts[i]: ticks that finished between i·bucketMs and (i+1)·bucketMs after they fell due (last: more, or skipped). */
  counts: number[];
}

export class TickLagHistogram {
  private readonly counts = new Float64Array(BUCKETS);

  record(lagMs: number): void {
    const i = lagMs <= 0 ? 0 : Math.min(BUCKETS - 1, Math.floor(lagMs / TICK_LAG_BUCKET_MS));
    this.counts[i]!++;
  }

  /** Ticks that never ran (skipped after a stall) count as the worst lag there is. */
  recordSkipped(n: number): void {
    this.counts[BUCKETS - 1]! += n;
  }

  snapshot(): TickLagSnapshot {
    // Trailing empty buckets are left out to keep the status message short.
    let end = BUCKETS;
    while (end > 0 && this.counts[end - 1] === 0) end--;
    return { bucketMs: TICK_LAG_BUCKET_MS, counts: Array.from(this.counts.subarray(0, end)) };
  }
}

/** Counts of `later` minus `earlier` (two snapshots of the same clock). */
export function lagDelta(earlier: TickLagSnapshot, later: TickLagSnapshot): TickLagSnapshot {
  return { bucketMs: later.bucketMs, counts: later.counts.map((c, i) => c - (earlier.counts[i] ?? 0)) };
}

/** The q-quantile (upper edge of its bucket, so it never reads low), or NaN without ticks. */
export function lagQuantile(s: TickLagSnapshot, q: number): number {
  const total = s.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < s.counts.length; i++) {
    seen += s.counts[i]!;
    if (seen >= rank) return (i + 1) * s.bucketMs;
  }
  return s.counts.length * s.bucketMs;
}

export function lagCount(s: TickLagSnapshot): number {
  return s.counts.reduce((a, b) => a + b, 0);
}
