// The native transport's relay routes as objects: one per source socket, ended with either socket.

import { describe, expect, it } from 'vitest';
import { isNativeAvailable } from '../native/index.ts';
import { NativeUdpTransport } from './native-udp.ts';
import { RelayWord } from './relay-record.ts';

describe.skipIf(!isNativeAvailable())('native relay routes', () => {
  it('ends a route when its source or its outgoing socket closes (ids are reused at once)', async () => {
    const t = new NativeUdpTransport();
    try {
      const a = (await t.bind('127.0.0.1', 0))!;
      const b = (await t.bind('127.0.0.1', 0))!;
      const c = (await t.bind('127.0.0.1', 0))!;
      const ab = a.relayTo!(b)!;
      ab.armed = true;
      expect(ab.armed).toBe(true);
      b.close();
      expect(ab.armed).toBe(false);
      // A closed route stays disarmed, whatever its owner does.
      ab.armed = true;
      expect(ab.armed).toBe(false);

      const ca = c.relayTo!(a)!;
      ca.set(RelayWord.SeqOffset, 7);
      ca.armed = true;
      c.close();
      expect(ca.armed).toBe(false);
    } finally {
      t.close();
    }
  });

  it('keeps one route per source socket: a new one replaces the old', async () => {
    const t = new NativeUdpTransport();
    try {
      const a = (await t.bind('127.0.0.1', 0))!;
      const b = (await t.bind('127.0.0.1', 0))!;
      const first = a.relayTo!(b)!;
      first.armed = true;
      const second = a.relayTo!(a)!;
      expect(first.armed).toBe(false);
      expect(second.armed).toBe(false);
      // The replaced route cannot arm the record its successor now owns.
      first.armed = true;
      expect(second.armed).toBe(false);
    } finally {
      t.close();
    }
  });
});
