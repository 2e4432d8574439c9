// The location service (RFC 3261 §10, §16.5): what the call router asks "where is 1001?".
import type { Clock } from '../../sip/util/clock.ts';
import type { Binding, BindingStore } from '../store/binding-store.ts';
import { normalizeAor } from '../aor.ts';
import { natOf } from './nat.ts';

export interface LocatedContact {
  aor: string;
  /** Request-URI to use: the Contact as registered. */
  uri: string;
  /** Effective q (1 when the phone gave none), highest first in lookups. */
  q: number;
  expiresAt: number;
  instance: string | null;
  /** Where the REGISTER came from. */
  source: { address: string; port: number; transport: string };
  behindNat: boolean;
  /** srf `proxy` option for requests to this contact; undefined = route by the URI. */
  nextHop: string | undefined;
  userAgent: string | null;
  registeredAt: number;
  /** From OPTIONS keep-alives: false after an unanswered one, undefined before the first. */
  reachable: boolean | undefined;
}

/** Keep-alive results, by AOR and binding key. */
export interface ReachabilitySource {
  reachable(aor: string, key: string): boolean | undefined;
}

export class LocationService {
  constructor(
    private readonly opts: { store: BindingStore; domain: string; clock: Clock; reachability?: ReachabilitySource },
  ) {}

  /** `sip:EXT@domain`, `sip:EXT@any-host` or `EXT` → `sip:EXT@domain`; undefined if no user part. */
  aorOf(target: string): string | undefined {
    return normalizeAor(target, this.opts.domain);
  }

  /**
   * Live contacts of an AOR, highest q first, then the most recently registered. Async so a
   * store shared between several PBX machines can stand behind it later.
   */
  async lookup(target: string): Promise<LocatedContact[]> {
    const aor = this.aorOf(target);
    if (!aor) return [];
    return this.opts.store.list(aor, this.opts.clock.now()).map((b) => this.located(b)).sort(byPreference);
  }

  /** Every live binding (API, keep-alives). */
  async all(): Promise<LocatedContact[]> {
    return this.opts.store.all(this.opts.clock.now()).map((b) => this.located(b));
  }

  private located(b: Binding): LocatedContact {
    const nat = natOf(b);
    return {
      aor: b.aor,
      uri: b.contact,
      q: b.q ?? 1,
      expiresAt: b.expiresAt,
      instance: b.instance,
      source: { ...b.source },
      behindNat: nat.behindNat,
      nextHop: nat.nextHop,
      userAgent: b.userAgent,
      registeredAt: b.registeredAt,
      reachable: this.opts.reachability?.reachable(b.aor, b.key),
    };
  }
}

function byPreference(a: LocatedContact, b: LocatedContact): number {
  return b.q - a.q || b.registeredAt - a.registeredAt;
}
