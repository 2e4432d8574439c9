// RFC 3261 §10.3 binding rules, on explicit times (no clock, no sleeping).
import { describe, expect, it } from 'vitest';
import { fakeRequest } from '../sip/testing.ts';
import { SipError } from '../sip/sip-error.ts';
import type { Binding } from '../store/binding-store.ts';
import { planRegister, type RegistrarPolicy } from './binding-rules.ts';
import { readRegister } from './register-request.ts';

const AOR = 'sip:1001@pbx.test';
const POLICY: RegistrarPolicy = { minExpires: 60, maxExpires: 3600, defaultExpires: 1800, maxContacts: 3 };
const T0 = 1_700_000_000_000;

function reg(o: { contact?: string; expires?: string; callId?: string; cseq?: number; source?: { address: string; port: number } } = {}) {
  const headers: Record<string, string> = { To: '<sip:1001@pbx.test>', CSeq: `${o.cseq ?? 1} REGISTER` };
  if (o.contact !== undefined) headers['Contact'] = o.contact;
  if (o.expires !== undefined) headers['Expires'] = o.expires;
  return readRegister(fakeRequest({ callId: o.callId ?? 'call-a', headers, source: o.source }));
}

/** Applies a plan the way a store would and returns the new binding list. */
function run(existing: Binding[], r: ReturnType<typeof reg>, now = T0, policy = POLICY) {
  return planRegister(AOR, existing, r, policy, now);
}

function statusOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SipError) return err.status;
    throw err;
  }
  return undefined;
}

describe('planRegister', () => {
  it('adds a contact with the Expires header, a contact parameter overriding it, or the default', () => {
    const p = run([], reg({ contact: '<sip:a@192.0.2.1>, <sip:b@192.0.2.2>;expires=120, <sip:c@192.0.2.3>', expires: '600' }));
    expect(p.bindings.map((b) => [b.contact, (b.expiresAt - T0) / 1000])).toEqual([
      ['sip:a@192.0.2.1', 600], ['sip:b@192.0.2.2', 120], ['sip:c@192.0.2.3', 600],
    ]);
    expect(p.added).toHaveLength(3);
    const d = run([], reg({ contact: '<sip:a@192.0.2.1>' }));
    expect((d.bindings[0]!.expiresAt - T0) / 1000).toBe(1800);
  });

  it('answers 423 with Min-Expires below the minimum, but lets 0 through; cuts to the maximum', () => {
    try {
      run([], reg({ contact: '<sip:a@192.0.2.1>', expires: '59' }));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ status: 423, headers: { 'Min-Expires': '60' } });
    }
    expect(statusOf(() => run([], reg({ contact: '<sip:a@192.0.2.1>;expires=0' })))).toBeUndefined();
    const p = run([], reg({ contact: '<sip:a@192.0.2.1>', expires: '99999' }));
    expect((p.bindings[0]!.expiresAt - T0) / 1000).toBe(3600);
  });

  it('refreshes a binding: new expiry and source, same registration time', () => {
    const first = run([], reg({ contact: '<sip:a@10.0.0.5:5060>', expires: '600', cseq: 1 })).bindings;
    const later = T0 + 300_000;
    const p = run(first, reg({ contact: '<sip:a@10.0.0.5:5060>', expires: '600', cseq: 2, source: { address: '198.51.100.4', port: 40001 } }), later);
    expect(p.refreshed).toHaveLength(1);
    expect(p.added).toHaveLength(0);
    expect(p.bindings[0]).toMatchObject({ registeredAt: T0, updatedAt: later, expiresAt: later + 600_000, cseq: 2, source: { address: '198.51.100.4', port: 40001 } });
  });

  it('answers 500 to an old CSeq on the same Call-ID, and accepts any CSeq on another Call-ID', () => {
    const first = run([], reg({ contact: '<sip:a@192.0.2.1>', cseq: 5 })).bindings;
    expect(statusOf(() => run(first, reg({ contact: '<sip:a@192.0.2.1>', cseq: 5 })))).toBe(500);
    expect(statusOf(() => run(first, reg({ contact: '<sip:a@192.0.2.1>', cseq: 4 })))).toBe(500);
    expect(run(first, reg({ contact: '<sip:a@192.0.2.1>', cseq: 1, callId: 'rebooted' })).refreshed).toHaveLength(1);
  });

  it('removes a contact with expires 0 and ignores an unknown one', () => {
    const first = run([], reg({ contact: '<sip:a@192.0.2.1>, <sip:b@192.0.2.2>', cseq: 1 })).bindings;
    const p = run(first, reg({ contact: '<sip:a@192.0.2.1>;expires=0, <sip:zz@192.0.2.9>;expires=0', cseq: 2 }));
    expect(p.bindings.map((b) => b.contact)).toEqual(['sip:b@192.0.2.2']);
    expect(p.changes).toEqual({ upsert: [], remove: ['sip:a@192.0.2.1'] });
  });

  it('removes every binding with Contact: * and Expires: 0, refuses * with another Expires', () => {
    const first = run([], reg({ contact: '<sip:a@192.0.2.1>, <sip:b@192.0.2.2>', cseq: 1 })).bindings;
    const p = run(first, reg({ contact: '*', expires: '0', cseq: 2 }));
    expect(p.bindings).toEqual([]);
    expect(p.removed).toHaveLength(2);
    expect(statusOf(() => run(first, reg({ contact: '*', expires: '60', cseq: 3 })))).toBe(400);
    expect(statusOf(() => run(first, reg({ contact: '*', expires: '0', cseq: 1 })))).toBe(500);
  });

  it('lists bindings unchanged for a REGISTER without Contact', () => {
    const first = run([], reg({ contact: '<sip:a@192.0.2.1>' })).bindings;
    const p = run(first, reg({ cseq: 9 }));
    expect(p.bindings).toEqual(first);
    expect(p.changes).toEqual({ upsert: [], remove: [] });
  });

  it('keeps q values and matches URIs by §19.1.4 (host case, transport)', () => {
    const first = run([], reg({ contact: '<sip:a@Phone.Example;transport=UDP>;q=0.7' })).bindings;
    expect(first[0]!.q).toBe(0.7);
    const p = run(first, reg({ contact: '<sip:a@phone.example;transport=udp>;q=0.2', cseq: 2 }));
    expect(p.bindings).toHaveLength(1);
    expect(p.bindings[0]!.q).toBe(0.2);
    expect(run(first, reg({ contact: '<sip:a@phone.example:5060;transport=udp>', cseq: 3 })).bindings).toHaveLength(2);
  });

  it('replaces the binding of the same +sip.instance even when the contact URI changed', () => {
    const inst = ';+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"';
    const first = run([], reg({ contact: `<sip:a@10.0.0.5:5060>${inst}`, cseq: 1 })).bindings;
    const p = run(first, reg({ contact: `<sip:a@10.0.0.77:5062>${inst}`, cseq: 2 }));
    expect(p.bindings.map((b) => b.contact)).toEqual(['sip:a@10.0.0.77:5062']);
    expect(p.bindings[0]!.instance).toBe('<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>');
  });

  it('makes room past maxContacts by dropping the least recently refreshed, and refuses more in one request', () => {
    let list: Binding[] = [];
    ['a', 'b', 'c'].forEach((u, i) => {
      list = run(list, reg({ contact: `<sip:${u}@192.0.2.1>`, callId: u }), T0 + i * 1000).bindings;
    });
    list = run(list, reg({ contact: '<sip:a@192.0.2.1>', callId: 'a', cseq: 2 }), T0 + 5000).bindings; // a is fresh now
    const p = run(list, reg({ contact: '<sip:d@192.0.2.1>', callId: 'd' }), T0 + 6000);
    expect(p.bindings.map((b) => b.contact).sort()).toEqual(['sip:a@192.0.2.1', 'sip:c@192.0.2.1', 'sip:d@192.0.2.1']);
    expect(p.removed.map((b) => b.contact)).toEqual(['sip:b@192.0.2.1']);
    expect(statusOf(() => run([], reg({ contact: '<sip:1@h>, <sip:2@h>, <sip:3@h>, <sip:4@h>' })))).toBe(403);
  });
});

describe('readRegister', () => {
  it('answers 404 for a To without a user and 400 for a non-SIP contact or bad CSeq', () => {
    expect(statusOf(() => readRegister(fakeRequest({ headers: { To: '<sip:pbx.test>', CSeq: '1 REGISTER' } })))).toBe(404);
    expect(statusOf(() => readRegister(fakeRequest({ headers: { To: '<sip:1@pbx.test>', CSeq: '1 REGISTER', Contact: '<mailto:a@b>' } })))).toBe(400);
    expect(statusOf(() => readRegister(fakeRequest({ headers: { To: '<sip:1@pbx.test>', CSeq: 'x' } })))).toBe(400);
  });

  it('treats a malformed Expires as absent', () => {
    expect(readRegister(fakeRequest({ headers: { To: '<sip:1@pbx.test>', CSeq: '1 REGISTER', Expires: 'soon' } })).expiresHeader).toBeUndefined();
  });
});
