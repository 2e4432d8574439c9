// Out-of-dialog ("unsolicited") message-summary NOTIFYs to registered phones that did not
// subscribe, as many PBXes send them and most desk phones accept them. At most `maxInFlight`
// are outstanding at once (a restart NOTIFYs every registered phone); a phone already waiting
// or being sent to gets one NOTIFY, built when it goes out, so it carries the latest counts.

export interface UnsolicitedTarget {
  mailbox: string;
  /** The registered Contact URI. */
  uri: string;
  /** srf `proxy` for a phone behind NAT. */
  nextHop: string | undefined;
}

export interface UnsolicitedOptions {
  /** Sends one NOTIFY to `t`; resolves with its final status (0: not sent). */
  send(t: UnsolicitedTarget): Promise<number>;
  maxInFlight: number;
  /** A NOTIFY was refused or unanswered (many phones reject unsolicited NOTIFY). */
  failed?(t: UnsolicitedTarget, status: number): void;
}

export class UnsolicitedNotifier {
  private readonly waiting = new Map<string, UnsolicitedTarget>();
  private readonly inFlight = new Set<string>();
  private closed = false;

  constructor(private readonly o: UnsolicitedOptions) {}

  /** Targets waiting or being sent to (for tests and stats). */
  get pending(): number {
    return this.waiting.size + this.inFlight.size;
  }

  notify(t: UnsolicitedTarget): void {
    if (this.closed) return;
    this.waiting.set(keyOf(t), t);
    this.pump();
  }

  close(): void {
    this.closed = true;
    this.waiting.clear();
  }

  private pump(): void {
    for (const [key, t] of this.waiting) {
      if (this.inFlight.size >= this.o.maxInFlight) return;
      if (this.inFlight.has(key)) continue; // sent again once the one outstanding is answered
      this.waiting.delete(key);
      this.inFlight.add(key);
      void this.o.send(t).then((status) => {
        this.inFlight.delete(key);
        if (status < 200 || status >= 300) this.o.failed?.(t, status);
        if (!this.closed) this.pump();
      });
    }
  }
}

const keyOf = (t: UnsolicitedTarget) => `${t.mailbox}\u0000${t.uri}\u0000${t.nextHop ?? ''}`;
