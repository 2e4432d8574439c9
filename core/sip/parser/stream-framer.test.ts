import { describe, expect, it } from 'vitest';
import { type FrameEvent, StreamFramer } from './stream-framer.ts';
import { parseMessage } from './parse.ts';

function msg(n: number, body = `body-${n}`, lengthHeader = 'Content-Length'): Buffer {
  return Buffer.from(
    `OPTIONS sip:u${n}@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK${n}\r\n` +
      `To: <sip:u@example.com>\r\nFrom: <sip:a@example.com>;tag=${n}\r\nCall-ID: c${n}\r\n` +
      `CSeq: ${n} OPTIONS\r\n${lengthHeader}: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
const framer = (max = 65536) => new StreamFramer({ maxMessageBytes: max });
const describeEvent = (e: FrameEvent): string => (e.type === 'message' ? `message:${e.data.toString('latin1')}` : e.type === 'error' ? `error:${e.error}` : e.type);
const run = (f: StreamFramer, chunks: Buffer[]): string[] => chunks.flatMap((c) => f.push(c).map(describeEvent));

describe('StreamFramer', () => {
  it('frames several messages from one chunk, bodies included', () => {
    const all = Buffer.concat([msg(1), msg(2, ''), msg(3, 'x\r\n\r\ny')]);
    expect(run(framer(), [all])).toEqual([msg(1), msg(2, ''), msg(3, 'x\r\n\r\ny')].map((m) => `message:${m.toString('latin1')}`));
  });

  it('gives frames that parseMessage accepts in stream mode', () => {
    const [e] = framer().push(msg(7));
    if (e?.type !== 'message') throw new Error('no message');
    expect(parseMessage(e.data, { stream: true }).ok).toBe(true);
  });

  it('finds the same events wherever the stream is split in two', () => {
    const m1 = msg(1);
    const stream = Buffer.concat([m1, Buffer.from('\r\n\r\n'), msg(2), msg(3, '')]);
    const expected = [`message:${m1.toString('latin1')}`, 'ping', `message:${msg(2).toString('latin1')}`, `message:${msg(3, '').toString('latin1')}`];
    for (let i = 0; i <= stream.length; i++) {
      const events = run(framer(), [stream.subarray(0, i), stream.subarray(i)]);
      // Cut in the middle of the ping, the first half is reported as a pong before the ping.
      const want = i === m1.length + 2 ? [expected[0], 'pong', ...expected.slice(1)] : expected;
      expect(events, `split at ${i}`).toEqual(want);
    }
  });

  it('handles a byte-by-byte trickle without rescanning (linear time)', () => {
    const parts = Array.from({ length: 20 }, (_, n) => msg(n, 'b'.repeat(n * 10)));
    const big = msg(99, 'z'.repeat(200_000));
    const stream = Buffer.concat([...parts, big]);
    const f = framer(1 << 20);
    const events: FrameEvent[] = [];
    const t0 = performance.now();
    for (let i = 0; i < stream.length; i++) events.push(...f.push(stream.subarray(i, i + 1)));
    const ms = performance.now() - t0;
    expect(events.map((e) => (e.type === 'message' ? e.data.length : e.type))).toEqual([...parts, big].map((p) => p.length));
    // A quadratic rescan of ~200 kB takes tens of seconds; linear work is well under one.
    expect(ms).toBeLessThan(5000);
  });

  it('reports keep-alive pings and pongs between messages (RFC 5626)', () => {
    expect(run(framer(), [Buffer.from('\r\n\r\n')])).toEqual(['ping']);
    expect(run(framer(), [Buffer.from('\r\n')])).toEqual(['pong']);
    expect(run(framer(), [Buffer.from('\r\n\r\n\r\n\r\n')])).toEqual(['ping', 'ping']);
    expect(run(framer(), [Buffer.concat([Buffer.from('\r\n'), msg(1)])])).toEqual(['pong', `message:${msg(1).toString('latin1')}`]);
    expect(run(framer(), [Buffer.from('\r\n\r'), Buffer.from('\n')])).toEqual(['ping']);
    expect(run(framer(), [Buffer.from('\r\n'), Buffer.from('\r\n')])).toEqual(['pong', 'ping']);
    expect(run(framer(), [Buffer.from('\r\n'), msg(1)])).toEqual(['pong', `message:${msg(1).toString('latin1')}`]);
  });

  it('reads compact and folded Content-Length and bare-LF headers', () => {
    expect(run(framer(), [msg(1, 'abc', 'l')])).toHaveLength(1);
    expect(run(framer(), [msg(1, 'abc', 'L ')])).toHaveLength(1);
    const folded = Buffer.from('OPTIONS sip:a@b SIP/2.0\nContent-Length:\n 3\nX: y\n\nabcOPTIONS');
    expect(run(framer(), [folded])).toEqual(['message:OPTIONS sip:a@b SIP/2.0\nContent-Length:\n 3\nX: y\n\nabc']);
  });

  it('fails when Content-Length is missing, duplicated or not a number (§18.3)', () => {
    const noLength = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n');
    expect(run(framer(), [noLength])).toEqual(['error:Missing Content-Length on stream transport']);
    const twice = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\nx');
    expect(run(framer(), [twice])).toEqual(['error:Multiple Content-Length headers']);
    const negative = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n');
    expect(run(framer(), [negative])).toEqual(['error:Bad Content-Length']);
  });

  it('fails on messages over maxMessageBytes, by headers or by Content-Length, and then stays silent', () => {
    const f = framer(100);
    expect(run(f, [Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX: ${'a'.repeat(200)}`)])).toEqual(['error:Message too large']);
    expect(run(f, [msg(1)])).toEqual([]);
    expect(run(framer(300), [msg(1, 'x'.repeat(300))])).toEqual(['error:Message too large']);
    expect(run(framer(msg(1).length), [msg(1)])).toHaveLength(1);
  });

  it('does not depend on the pushed chunk after returning', () => {
    const f = framer();
    const m = msg(5);
    const chunk = Buffer.from(m.subarray(0, 30));
    f.push(chunk);
    chunk.fill(0);
    expect(run(f, [m.subarray(30)])).toEqual([`message:${m.toString('latin1')}`]);
  });
});
