// RFC 3261 §10.3 steps 6–8 as a pure function: given the AOR's live bindings and a REGISTER,
// the changes to commit and the bindings that result. Time comes in as `now`, so every rule is
// tested on a fake clock.
import type { Binding, BindingChanges } from '../store/binding-store.ts';
import { SipError } from '../sip/sip-error.ts';
import type { ContactRequest, RegisterRequest } from './register-request.ts';

export interface RegistrarPolicy {
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  maxContacts: number;
}

export interface Plan {
  changes: BindingChanges;
  /** The AOR's bindings once the changes are committed. */
  bindings: Binding[];
  added: Binding[];
  refreshed: Binding[];
  removed: Binding[];
}

export function planRegister(aor: string, existing: readonly Binding[], req: RegisterRequest, policy: RegistrarPolicy, now: number): Plan {
  if (req.contacts === 'fetch') return { changes: { upsert: [], remove: [] }, bindings: [...existing], added: [], refreshed: [], removed: [] };
  if (req.contacts === '*') {
    // §10.3 step 6: `*` only with Expires: 0 (the engine checks too; a real drachtio-server as well).
    if (req.expiresHeader !== 0) throw new SipError(400, 'Wildcard Contact Requires Expires: 0');
    for (const b of existing) checkOrder(b, req);
    return { changes: { upsert: [], remove: existing.map((b) => b.key) }, bindings: [], added: [], refreshed: [], removed: [...existing] };
  }
  const wanted = req.contacts.map((c) => ({ c, expires: c.expires ?? req.expiresHeader ?? policy.defaultExpires }));
  // §10.3 step 7: "If … the expiration interval is shorter than the minimum … 423" (0 means remove).
  if (wanted.some((w) => w.expires > 0 && w.expires < policy.minExpires)) {
    throw new SipError(423, 'Interval Too Brief', { 'Min-Expires': String(policy.minExpires) });
  }
  const byKey = new Map(existing.map((b) => [b.key, b]));
  const upserts = new Map<string, Binding>();
  const removed = new Map<string, Binding>();
  const added: Binding[] = [];
  const refreshed: Binding[] = [];
  for (const { c, expires } of wanted) {
    const old = byKey.get(c.key);
    if (old) checkOrder(old, req);
    if (expires === 0) {
      upserts.delete(c.key);
      if (old) removed.set(c.key, old);
      continue;
    }
    removed.delete(c.key);
    const b = bindingFrom(aor, c, req, Math.min(expires, policy.maxExpires), now, old);
    upserts.set(c.key, b);
    (old ? refreshed : added).push(b);
  }
  const kept = existing.filter((b) => !upserts.has(b.key) && !removed.has(b.key));
  // Too many contacts: the least recently refreshed others make room (a phone that moved and
  // never unregistered leaves such a binding behind).
  const overflow = kept.length + upserts.size - policy.maxContacts;
  if (upserts.size > policy.maxContacts) throw new SipError(403, 'Too Many Contacts');
  const evicted = overflow > 0 ? [...kept].sort((a, b) => a.updatedAt - b.updatedAt).slice(0, overflow) : [];
  for (const b of evicted) removed.set(b.key, b);
  const bindings = [...kept.filter((b) => !removed.has(b.key)), ...upserts.values()];
  return {
    changes: { upsert: [...upserts.values()], remove: [...removed.keys()] },
    bindings: bindings.sort((a, b) => a.registeredAt - b.registeredAt),
    added: added.filter((b) => upserts.get(b.key) === b),
    refreshed: refreshed.filter((b) => upserts.get(b.key) === b),
    removed: [...removed.values()],
  };
}

/** §10.3 step 7: same Call-ID needs a higher CSeq, or the request is out of order. */
function checkOrder(old: Binding, req: RegisterRequest): void {
  if (old.callId === req.callId && req.cseq <= old.cseq) throw new SipError(500, 'CSeq Out of Order');
}

function bindingFrom(aor: string, c: ContactRequest, req: RegisterRequest, seconds: number, now: number, old: Binding | undefined): Binding {
  return {
    aor,
    key: c.key,
    contact: c.uri,
    q: c.q,
    expiresAt: now + seconds * 1000,
    callId: req.callId,
    cseq: req.cseq,
    instance: c.instance,
    regId: c.regId,
    source: { ...req.source },
    userAgent: req.userAgent,
    registeredAt: old?.registeredAt ?? now,
    updatedAt: now,
  };
}
