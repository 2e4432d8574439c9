// The four RFC 3261 §17 state machines against a fake clock and a capturing sender.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.ts';
import { parseMessage, serializeMessage, SipRequest, SipResponse } from '../parser/index.ts';
import { TransactionLayer } from './transaction-layer.ts';
import type { Destination } from '../transport/transport-layer.ts';
import { responseFor } from '../engine/build.ts';

const T = { t1: 500, t2: 4000, t4: 5000, timerD: 32_000 };
const UDP: Destination = { protocol: 'udp', address: '127.0.0.1', port: 5070 };
const TCP: Destination = { protocol: 'tcp', address: '127.0.0.1', port: 5070 };

function setup() {
  const clock = new FakeClock();
  const sent: { at: number; text: string }[] = [];
  const layer = new TransactionLayer({
    timers: T,
    clock,
    sender: { send: (d) => void sent.push({ at: clock.now(), text: d.toString() }), serialize: serializeMessage },
  });
  return { clock, sent, layer };
}

function request(method: string, branch = 'z9hG4bKabc'): SipRequest {
  const r = parseMessage(
    Buffer.from(
      `${method} sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=${branch}\r\nMax-Forwards: 70\r\n` +
        `From: <sip:a@x>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`,
    ),
  );
  if (!r.ok || r.value.kind !== 'request') throw new Error('fixture');
  return r.value;
}

const noopUser = () => {
  const got: { responses: number[]; timeout: number } = { responses: [], timeout: 0 };
  return {
    got,
    user: {
      receiveResponse: (r: SipResponse) => void got.responses.push(r.status),
      onRequestTimeout: () => void got.timeout++,
      onTransportError: () => {},
    },
  };
};

describe('INVITE client transaction', () => {
  it('Timer A doubles from T1 and Timer B gives up at 64*T1 over UDP', () => {
    const { clock, sent, layer } = setup();
    const { got, user } = noopUser();
    layer.sendRequest(request('INVITE'), 'z9hG4bKabc', UDP, user);
    clock.advance(64 * T.t1);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(got.timeout).toBe(1);
    expect(layer.count.client).toBe(0);
  });

  it('does not retransmit over TCP; a 1xx stops Timer A and B', () => {
    const { clock, sent, layer } = setup();
    const { got, user } = noopUser();
    const req = request('INVITE');
    layer.sendRequest(req, 'z9hG4bKabc', TCP, user);
    layer.receiveResponse(responseFor(req, 180, undefined, 'x'));
    clock.advance(120_000);
    expect(sent).toHaveLength(1);
    expect(got).toEqual({ responses: [180], timeout: 0 });
  });

  it('ACKs a non-2xx itself, re-ACKs its retransmissions, tells the TU once, lingers Timer D', () => {
    const { clock, sent, layer } = setup();
    const { got, user } = noopUser();
    const req = request('INVITE');
    layer.sendRequest(req, 'z9hG4bKabc', UDP, user);
    const busy = responseFor(req, 486, undefined, 'tt');
    layer.receiveResponse(busy);
    layer.receiveResponse(busy);
    const acks = sent.filter((s) => s.text.startsWith('ACK '));
    expect(acks).toHaveLength(2);
    expect(acks[0]!.text).toContain('CSeq: 1 ACK');
    expect(acks[0]!.text).toContain('tag=tt');
    expect(got.responses).toEqual([486]);
    clock.advance(31_999);
    expect(layer.count.client).toBe(1);
    clock.advance(1);
    expect(layer.count.client).toBe(0);
  });

  it('passes every 2xx up in Accepted (RFC 6026) and ends after 64*T1', () => {
    const { clock, layer } = setup();
    const { got, user } = noopUser();
    const req = request('INVITE');
    layer.sendRequest(req, 'z9hG4bKabc', UDP, user);
    const ok = responseFor(req, 200, undefined, 'tt');
    layer.receiveResponse(ok);
    layer.receiveResponse(ok);
    expect(got.responses).toEqual([200, 200]);
    clock.advance(64 * T.t1);
    expect(layer.count.client).toBe(0);
  });
});

describe('non-INVITE client transaction', () => {
  it('Timer E doubles to T2, stays at T2 after a 1xx; Timer F times out at 64*T1', () => {
    const { clock, sent, layer } = setup();
    const { got, user } = noopUser();
    const req = request('OPTIONS');
    layer.sendRequest(req, 'z9hG4bKabc', UDP, user);
    clock.advance(8000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500]);
    layer.receiveResponse(responseFor(req, 100));
    clock.advance(64 * T.t1 - 8000);
    expect(sent.map((s) => s.at).slice(5)).toEqual([11500, 15500, 19500, 23500, 27500, 31500]);
    expect(got.timeout).toBe(1);
  });

  it('absorbs final retransmissions for T4 (Timer K)', () => {
    const { clock, layer } = setup();
    const { got, user } = noopUser();
    const req = request('BYE');
    layer.sendRequest(req, 'z9hG4bKabc', UDP, user);
    const ok = responseFor(req, 200, undefined, 'tt');
    layer.receiveResponse(ok);
    layer.receiveResponse(ok);
    expect(got.responses).toEqual([200]);
    clock.advance(T.t4 - 1);
    expect(layer.count.client).toBe(1);
    clock.advance(1);
    expect(layer.count.client).toBe(0);
  });
});

describe('INVITE server transaction', () => {
  it('re-sends a non-2xx final at T1 doubling to T2 (Timer G) until ACK, then Timer I', () => {
    const { clock, sent, layer } = setup();
    const req = request('INVITE');
    const stx = layer.createServer(req, UDP, {})!;
    stx.respond(responseFor(req, 486, undefined, 'x'));
    clock.advance(8000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500]);
    const ack = request('ACK');
    const matched = layer.findServer(ack);
    expect(matched).toBe(stx);
    (matched as { receiveAck(): void }).receiveAck();
    clock.advance(20_000);
    expect(sent).toHaveLength(5);
    expect(layer.count.server).toBe(0);
  });

  it('Timer H ends the transaction at 64*T1 when the ACK never comes', () => {
    const { clock, layer } = setup();
    const req = request('INVITE');
    let ackTimeouts = 0;
    const stx = layer.createServer(req, UDP, { onAckTimeout: () => void ackTimeouts++ })!;
    stx.respond(responseFor(req, 480, undefined, 'x'));
    clock.advance(64 * T.t1);
    expect(ackTimeouts).toBe(1);
    expect(layer.count.server).toBe(0);
  });

  it('answers a retransmitted INVITE with the last provisional', () => {
    const { sent, layer } = setup();
    const req = request('INVITE');
    const stx = layer.createServer(req, UDP, {})!;
    stx.respond(responseFor(req, 100));
    layer.findServer(request('INVITE'))!.receiveRetransmission();
    expect(sent.map((s) => s.text.split('\r\n')[0])).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
  });
});

describe('non-INVITE server transaction', () => {
  it('absorbs retransmissions in Trying, re-sends the final in Completed, ends after 64*T1 (Timer J)', () => {
    const { clock, sent, layer } = setup();
    const req = request('OPTIONS');
    const stx = layer.createServer(req, UDP, {})!;
    stx.receiveRetransmission();
    expect(sent).toHaveLength(0);
    stx.respond(responseFor(req, 200, undefined, 'x'));
    stx.receiveRetransmission();
    expect(sent).toHaveLength(2);
    clock.advance(64 * T.t1);
    expect(layer.count.server).toBe(0);
  });

  it('matches CANCEL to its INVITE by branch and keeps them apart (§9.2, §17.2.3)', () => {
    const { layer } = setup();
    const inv = layer.createServer(request('INVITE'), UDP, {})!;
    const cancel = request('CANCEL');
    expect(layer.findServer(cancel)).toBeUndefined();
    expect(layer.findInviteForCancel(cancel)).toBe(inv);
  });
});
