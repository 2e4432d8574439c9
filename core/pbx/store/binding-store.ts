// Contract of the location store the registrar writes and the location service reads; kept by
// SQLite (bindings.ts), in memory (memory-bindings.ts), or in memory with SQLite behind it
// (cached-bindings.ts, what the app runs), all run through one shared suite.

/** One registered contact of an address-of-record (RFC 3261 §10.3). */
export interface Binding {
  /** `sip:EXT@domain`. */
  aor: string;
  /** Identity of the binding within its AOR: the +sip.instance if given, else the normalised contact URI. */
  key: string;
  /** Contact URI as registered (without <>). */
  contact: string;
  /** 0..1, or null when the phone gave none. */
  q: number | null;
  /** Wall-clock ms; the binding is gone at and after this instant. */
  expiresAt: number;
  callId: string;
  cseq: number;
  /** RFC 5626 `+sip.instance` and `reg-id` contact parameters. */
  instance: string | null;
  regId: number | null;
  /** Where the REGISTER came from: the address a phone behind NAT is reachable at. */
  source: { address: string; port: number; transport: string };
  userAgent: string | null;
  registeredAt: number;
  updatedAt: number;
}

export interface BindingChanges {
  upsert: readonly Binding[];
  /** Keys to delete. */
  remove: readonly string[];
}

export interface BindingStore {
  /** Live bindings of one AOR (never expired ones). */
  list(aor: string, now: number): Binding[];
  /**
   * All changes for one AOR, atomically: all or none (RFC 3261 §10.3 step 7). list() sees them at
   * once; the promise resolves when they are durable (survive a restart of the app) and rejects
   * when they could not be stored, in which case they are undone. A change set that breaks the
   * contract (a binding of another AOR) throws at once.
   */
  apply(aor: string, changes: BindingChanges): Promise<void>;
  /** Deletes every binding of an AOR (user removed or disabled); returns how many. */
  removeAor(aor: string): number;
  /** Every live binding, ordered by AOR. */
  all(now: number): Binding[];
  /** Deletes the bindings that expired at or before `now` and returns them. */
  sweep(now: number): Binding[];
}
