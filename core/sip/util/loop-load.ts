// Whether this process's event loop has been saturated lately (Node's event-loop utilization).
// Work the engine creates for itself, like retransmissions, can wait while it is.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export class LoopLoad {
  private base: EventLoopUtilization = performance.eventLoopUtilization();
  private baseAt = Date.now();
  private last = 0;

  /** `windowMs`: how much recent time one reading covers; `threshold`: utilization counted as saturated. */
  constructor(
    private readonly windowMs = 250,
    private readonly threshold = 0.9,
  ) {}

  /** Utilization over the last completed window (read lazily: costs nothing while unused). */
  saturated(): boolean {
    const now = Date.now();
    if (now - this.baseAt >= this.windowMs) {
      this.last = performance.eventLoopUtilization(this.base).utilization;
      this.base = performance.eventLoopUtilization();
      this.baseAt = now;
    }
    return this.last > this.threshold;
  }
}
