// OPTIONS keep-alives to registered UDP contacts: the traffic keeps the phone's NAT mapping
// open, and the answers tell the router which contacts are reachable (Asterisk's qualify,
// Kamailio's nathelper pings).
import type { Clock, TimerHandle } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import type { Binding, BindingStore } from '../store/binding-store.ts';
import type { ReachabilitySource } from './location-service.ts';
import { isBehindNat, nextHopFor } from './nat.ts';

/** Sends one OPTIONS and resolves with the final status (408 if it timed out). */
export type OptionsSender = (target: { uri: string; nextHop: string | undefined }) => Promise<number>;

export interface KeepaliveOptions {
  store: BindingStore;
  send: OptionsSender;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  natOnly: boolean;
}

interface State {
  inFlight: boolean;
  reachable: boolean | undefined;
}

export class OptionsKeepalive implements ReachabilitySource {
  private readonly state = new Map<string, State>();
  private timer: TimerHandle | undefined;

  constructor(private readonly opts: KeepaliveOptions) {}

  start(): void {
    if (this.opts.intervalMs <= 0 || this.timer) return;
    const loop = () => {
      void this.tick();
      this.timer = this.opts.clock.setTimer(this.opts.intervalMs, loop);
    };
    this.timer = this.opts.clock.setTimer(this.opts.intervalMs, loop);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  reachable(aor: string, key: string): boolean | undefined {
    return this.state.get(stateKey(aor, key))?.reachable;
  }

  /** One round: an OPTIONS to every due contact; resolves when all have answered or failed. */
  async tick(): Promise<void> {
    const live = this.opts.store.all(this.opts.clock.now()).filter((b) => this.wanted(b));
    const keys = new Set(live.map((b) => stateKey(b.aor, b.key)));
    for (const k of this.state.keys()) if (!keys.has(k)) this.state.delete(k);
    await Promise.all(live.map((b) => this.ping(b)));
  }

  private wanted(b: Binding): boolean {
    return b.source.transport === 'udp' && (!this.opts.natOnly || isBehindNat(b));
  }

  private async ping(b: Binding): Promise<void> {
    const k = stateKey(b.aor, b.key);
    const s = this.state.get(k) ?? { inFlight: false, reachable: undefined };
    this.state.set(k, s);
    if (s.inFlight) return; // the previous one has not timed out yet
    s.inFlight = true;
    let status: number;
    try {
      status = await this.opts.send({ uri: b.contact, nextHop: nextHopFor(b) });
    } catch (err) {
      this.opts.log.debug(`keepalive: cannot send OPTIONS to ${b.contact}: ${(err as Error).message}`);
      s.inFlight = false;
      return; // not connected to the engine: says nothing about the phone
    }
    s.inFlight = false;
    // Any answer from the phone (even 405/501) shows it is there; 408/503 come from our side.
    const up = status !== 408 && status !== 503;
    if (s.reachable !== up) this.opts.log.info(`keepalive: ${b.aor} contact ${b.contact} ${up ? 'reachable' : `unreachable (${status})`}`);
    s.reachable = up;
  }
}

const stateKey = (aor: string, key: string) => `${aor}\n${key}`;
