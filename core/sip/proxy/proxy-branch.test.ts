// ProxyBranch CANCEL rules (RFC 3261 §9.1, §16.10) against a fake clock and a capturing sender.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { parseMessage, serializeMessage, type SipRequest, type SipResponse } from '../parser/index.ts';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import type { Destination } from '../transport/transport-layer.ts';
import type { EngineContext } from '../engine/context.ts';
import { responseFor } from '../engine/build.ts';
import { ProxyBranch } from './proxy-branch.ts';

const TIMERS = { t1: 500, t2: 4000, t4: 5000, timerD: 32_000, timerC: 185_000 };
const CALLEE: Destination = { protocol: 'udp', address: '127.0.0.1', port: 5070 };
const REASON = 'SIP;cause=200;text="Call completed elsewhere"';

function setup() {
  const clock = new FakeClock();
  const sent: string[] = [];
  const txns = new TransactionLayer({
    timers: TIMERS,
    clock,
    sender: { send: (d) => void sent.push(d.toString()), serialize: serializeMessage },
  });
  const ctx = { config: { timers: TIMERS }, txns, clock } as unknown as EngineContext;
  const r = parseMessage(
    Buffer.from(
      'INVITE sip:bob@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKbranch1\r\n' +
        'Max-Forwards: 69\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
    ),
  );
  if (!r.ok || r.value.kind !== 'request') throw new Error('fixture');
  const invite: SipRequest = r.value;
  const seen: { provisional: number[]; finals: number[] } = { provisional: [], finals: [] };
  const branch = new ProxyBranch(ctx, invite, 'z9hG4bKbranch1', CALLEE, {
    onProvisional: (res: SipResponse) => void seen.provisional.push(res.status),
    onFinal: (res: SipResponse) => void seen.finals.push(res.status),
    onProvisionalTimeout: () => {},
  }, 0);
  const methods = () => sent.map((t) => t.slice(0, t.indexOf(' ')));
  return { clock, sent, txns, invite, seen, branch, methods };
}

describe('ProxyBranch cancel', () => {
  it('canceled before any provisional: over for the session, but the CANCEL follows the first provisional', () => {
    const { clock, sent, txns, invite, seen, branch, methods } = setup();
    branch.start();
    branch.cancel(REASON);
    // The session counts the branch as ended at once; §9.1 forbids a CANCEL yet.
    expect(seen.finals).toEqual([487]);
    expect(methods()).toEqual(['INVITE']);
    // The INVITE may still be on its way: its transaction goes on (Timer A).
    clock.advance(TIMERS.t1);
    expect(methods()).toEqual(['INVITE', 'INVITE']);
    // The callee starts ringing after the call was answered elsewhere: now it gets the CANCEL.
    txns.receiveResponse(responseFor(invite, 180, undefined, 'callee'));
    expect(methods()).toEqual(['INVITE', 'INVITE', 'CANCEL']);
    expect(sent[2]).toContain(`Reason: ${REASON}`);
    expect(seen.provisional).toEqual([]);
    // Its 487 is ACKed by the transaction and not reported again.
    txns.receiveResponse(responseFor(invite, 487, undefined, 'callee'));
    expect(methods()).toEqual(['INVITE', 'INVITE', 'CANCEL', 'ACK']);
    expect(seen.finals).toEqual([487]);
  });

  it('canceled after a provisional: the CANCEL goes out at once and the real final is reported', () => {
    const { txns, invite, seen, branch, methods } = setup();
    branch.start();
    txns.receiveResponse(responseFor(invite, 180, undefined, 'callee'));
    expect(seen.provisional).toEqual([180]);
    branch.cancel(REASON);
    expect(methods()).toEqual(['INVITE', 'CANCEL']);
    expect(seen.finals).toEqual([]);
    txns.receiveResponse(responseFor(invite, 487, undefined, 'callee'));
    expect(seen.finals).toEqual([487]);
  });

  it('a callee that never answers a canceled branch is given up at Timer B, with no CANCEL', () => {
    const { clock, txns, branch, methods } = setup();
    branch.start();
    branch.cancel(REASON);
    clock.advance(64 * TIMERS.t1);
    expect(methods().filter((m) => m === 'CANCEL')).toEqual([]);
    expect(txns.count.client).toBe(0);
  });
});
