// Symmetric RTP (RFC 4961) with latching: a phone behind NAT sends from an address its SDP does
// not know, and only packets sent back to that source get through. We send to the SDP address until
// the first packet arrives, then to wherever media actually comes from. Other sources are ignored
// while the latched one is alive, so a stray or spoofed stream cannot steal the call.

export interface Endpoint {
  address: string;
  port: number;
}

export class Latch {
  private latched: Endpoint | undefined;
  private lastSeenMs = 0;
  rejected = 0;
  relatches = 0;

  constructor(
    private readonly on: boolean,
    private readonly relatchAfterMs: number,
  ) {}

  get current(): Endpoint | undefined {
    return this.latched;
  }

  get enabled(): boolean {
    return this.on;
  }

  /** A packet from the latched source itself (the caller compared the address): keep the latch alive. */
  touch(nowMs: number): void {
    this.lastSeenMs = nowMs;
  }

  /** Account a packet from `address:port`; false when it must be dropped. */
  accept(address: string, port: number, nowMs: number): boolean {
    if (!this.on) return true;
    const cur = this.latched;
    if (cur && cur.address === address && cur.port === port) {
      this.lastSeenMs = nowMs;
      return true;
    }
    if (cur && nowMs - this.lastSeenMs < this.relatchAfterMs) {
      this.rejected++;
      return false;
    }
    if (cur) this.relatches++;
    this.latched = { address, port };
    this.lastSeenMs = nowMs;
    return true;
  }

  reset(): void {
    this.latched = undefined;
  }
}
