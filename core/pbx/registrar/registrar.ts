// The registrar (RFC 3261 §10.3): the last middleware of the REGISTER chain, after digest auth.
// It checks who may register what, commits the binding changes atomically and answers 200 with
// every current binding.
import type { Clock } from '../../sip/util/clock.ts';
import type { Logger } from '../../sip/util/logger.ts';
import { Event } from '../../media/util/event.ts';
import type { Binding, BindingStore } from '../store/binding-store.ts';
import type { SipMiddleware } from '../sip/compose.ts';
import { SipError } from '../sip/sip-error.ts';
import { aorFor } from '../aor.ts';
import { planRegister, type RegistrarPolicy } from './binding-rules.ts';
import { readRegister } from './register-request.ts';

/** What the registrar needs to know about a user. */
export interface RegistrantDirectory {
  get(extension: string): { enabled: boolean; mayRegisterOthers: boolean } | undefined;
}

export interface BindingChange {
  aor: string;
  added: readonly Binding[];
  refreshed: readonly Binding[];
  /** Unregistered, replaced for room, or expired (sweep). */
  removed: readonly Binding[];
}

export interface RegistrarOptions {
  store: BindingStore;
  users: RegistrantDirectory;
  domain: string;
  policy: RegistrarPolicy;
  clock: Clock;
  log: Logger;
}

export class Registrar {
  /** After every committed change: for MWI re-NOTIFY on register, presence, logs. */
  readonly changed = new Event<[BindingChange]>();

  constructor(private readonly opts: RegistrarOptions) {}

  /**
   * The terminal REGISTER middleware. Needs `authUser` from digestAuth() before it. The 200 goes
   * out once the changes are durable (the store may batch the commit with other REGISTERs').
   */
  readonly handle: SipMiddleware = async (c) => {
    const { store, users, domain, policy, clock, log } = this.opts;
    const auth = c.get('authUser');
    if (!auth) throw new Error('registrar reached without authentication; put digestAuth() before it');
    const req = readRegister(c.req);
    // §10.3 step 4 before step 3, so users cannot probe which other extensions exist.
    if (auth.username !== req.toUser && !users.get(auth.username)?.mayRegisterOthers) {
      throw new SipError(403, 'Third-Party Registration Not Allowed');
    }
    if (!users.get(req.toUser)?.enabled) throw new SipError(404, 'Not Found');
    const aor = aorFor(req.toUser, domain);
    const now = clock.now();
    const plan = planRegister(aor, store.list(aor, now), req, policy, now);
    if (plan.changes.upsert.length || plan.changes.remove.length) {
      try {
        await store.apply(aor, plan.changes);
      } catch (err) {
        // §10.3 step 7: a failed commit changes nothing and answers 500.
        log.error(`registrar: cannot store bindings of ${aor}: ${(err as Error).message}`);
        throw new SipError(500, 'Binding Store Failed');
      }
      this.report(aor, plan);
    }
    c.reply(200, 'OK', {
      Contact: plan.bindings.map((b) => contactValue(b, now)),
      Date: httpDate(now),
    });
  };

  /** Deletes expired bindings; returns how many went. */
  sweep(): number {
    const gone = this.opts.store.sweep(this.opts.clock.now());
    const byAor = new Map<string, Binding[]>();
    for (const b of gone) byAor.set(b.aor, [...(byAor.get(b.aor) ?? []), b]);
    for (const [aor, removed] of byAor) {
      this.opts.log.info(`registrar: ${aor}: ${removed.length} binding(s) expired`);
      this.changed.emit({ aor, added: [], refreshed: [], removed });
    }
    return gone.length;
  }

  private report(aor: string, p: { added: Binding[]; refreshed: Binding[]; removed: Binding[] }): void {
    const { log } = this.opts;
    for (const b of p.added) log.info(`registrar: ${aor} registered ${b.contact} from ${b.source.transport}:${b.source.address}:${b.source.port}`);
    for (const b of p.removed) log.info(`registrar: ${aor} removed ${b.contact}`);
    this.changed.emit({ aor, added: p.added, refreshed: p.refreshed, removed: p.removed });
  }
}

/** The Date header (RFC 3261 §20.17): one string for a whole second, so made once per second. */
let dateCache = { second: Number.NaN, text: '' };
export function httpDate(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== dateCache.second) dateCache = { second, text: new Date(second * 1000).toUTCString() };
  return dateCache.text;
}

/** A binding as the 200 lists it: `<uri>;expires=N` with q and instance when given (§10.3 step 8). */
export function contactValue(b: Binding, now: number): string {
  let v = `<${b.contact}>;expires=${Math.max(0, Math.ceil((b.expiresAt - now) / 1000))}`;
  if (b.q !== null) v += `;q=${b.q}`;
  if (b.instance !== null) v += `;+sip.instance="${b.instance}"`;
  if (b.regId !== null) v += `;reg-id=${b.regId}`;
  return v;
}
