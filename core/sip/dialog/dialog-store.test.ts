import { describe, expect, it } from 'vitest';
import { Dialog } from './dialog.ts';
import { DialogStore } from './dialog-store.ts';
import type { AppConnection } from '../drachtio/app-connection.ts';

const app = {} as AppConnection;
const dialog = (callId: string, localTag: string, remoteTag: string) => {
  const d = new Dialog(Dialog.idFor(callId, localTag), 'uac', 'invite', callId, localTag, app, 'udp');
  d.remoteTag = remoteTag;
  return d;
};

describe('DialogStore', () => {
  it('finds dialogs by id, by (Call-ID, tags) and by Call-ID, and forgets deleted ones', () => {
    const s = new DialogStore();
    const a = dialog('c1', 'l1', 'r1');
    const b = dialog('c2', 'l2', 'r2');
    s.add(a);
    s.add(b);
    expect(s.get(a.id)).toBe(a);
    expect(s.match('c2', 'l2', 'r2')).toBe(b);
    expect(s.findByCallId('c1')).toBe(a);
    expect(s.findByCallId('c3')).toBeUndefined();
    s.delete(a);
    expect([s.get(a.id), s.match('c1', 'l1', 'r1'), s.findByCallId('c1'), s.size]).toEqual([undefined, undefined, undefined, 1]);
    expect(a.state).toBe('terminated');
  });

  it('by Call-ID gives the earliest live dialog of that call (forks share a Call-ID)', () => {
    const s = new DialogStore();
    const first = dialog('c1', 'l1', 'r1');
    const fork = dialog('c1', 'l2', 'r2');
    s.add(first);
    s.add(fork);
    expect(s.findByCallId('c1')).toBe(first);
    s.delete(first);
    expect(s.findByCallId('c1')).toBe(fork);
    s.delete(fork);
    expect(s.findByCallId('c1')).toBeUndefined();
  });
});
