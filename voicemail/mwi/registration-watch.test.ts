import { describe, expect, it } from 'vitest';
import type { Binding } from '../../core/pbx/store/binding-store.ts';
import { RegistrationWatch } from './registration-watch.ts';

const binding = (key: string, callId: string): Binding => ({
  aor: 'sip:1001@pbx.test', key, contact: key, q: null, expiresAt: 1e12, callId, cseq: 1, instance: null, regId: null,
  source: { address: '127.0.0.1', port: 5062, transport: 'udp' }, userAgent: null, registeredAt: 0, updatedAt: 0,
});
const change = (p: { added?: Binding[]; refreshed?: Binding[]; removed?: Binding[] }) => ({
  aor: 'sip:1001@pbx.test', added: p.added ?? [], refreshed: p.refreshed ?? [], removed: p.removed ?? [],
});

describe('RegistrationWatch', () => {
  it('new bindings and refreshes with a new Call-ID (a restarted phone) count; plain refreshes do not', () => {
    const w = new RegistrationWatch([binding('sip:a', 'boot-1')]);
    expect(w.fresh(change({ refreshed: [binding('sip:a', 'boot-1')] }))).toEqual([]);
    expect(w.fresh(change({ refreshed: [binding('sip:a', 'boot-2')] })).map((b) => b.callId)).toEqual(['boot-2']);
    expect(w.fresh(change({ refreshed: [binding('sip:a', 'boot-2')] }))).toEqual([]);
    expect(w.fresh(change({ added: [binding('sip:b', 'x')] })).map((b) => b.key)).toEqual(['sip:b']);
    // Gone and back (unregistered or expired): new again.
    expect(w.fresh(change({ removed: [binding('sip:b', 'x')] }))).toEqual([]);
    expect(w.fresh(change({ added: [binding('sip:b', 'x')] })).map((b) => b.key)).toEqual(['sip:b']);
  });
});
