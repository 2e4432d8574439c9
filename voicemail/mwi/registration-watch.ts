// Which registrations deserve a NOTIFY so a phone's lamp is right after it (re-)registers.
// A binding that is new (first registration, a new address, or back after it expired) does, and
// so does a refresh with a new Call-ID: RFC 3261 §10.2 has a UA keep its Call-ID for every
// REGISTER "during a single boot cycle", so a new one means the phone restarted and lost its
// lamp state even though its binding never lapsed. A plain periodic refresh does not: every
// phone would get a NOTIFY per refresh interval for nothing.
import type { Binding } from '../../core/pbx/store/binding-store.ts';
import type { BindingChange } from '../../core/pbx/registrar/registrar.ts';

export class RegistrationWatch {
  /** Call-ID of every live binding, by AOR and binding key. */
  private readonly callIds = new Map<string, string>();

  /** Start from the bindings already stored (the PBX restarted; phones did not). */
  constructor(existing: readonly Binding[] = []) {
    for (const b of existing) this.callIds.set(keyOf(b.aor, b.key), b.callId);
  }

  /** The bindings of `change` whose phones should be told the mailbox state now. */
  fresh(change: BindingChange): Binding[] {
    const out: Binding[] = [...change.added];
    for (const b of change.refreshed) {
      const before = this.callIds.get(keyOf(b.aor, b.key));
      if (before !== undefined && before !== b.callId) out.push(b);
    }
    for (const b of [...change.added, ...change.refreshed]) this.callIds.set(keyOf(b.aor, b.key), b.callId);
    for (const b of change.removed) this.callIds.delete(keyOf(b.aor, b.key));
    return out;
  }
}

const keyOf = (aor: string, key: string) => `${aor}\u0000${key}`;
