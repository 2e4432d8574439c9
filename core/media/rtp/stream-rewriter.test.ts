import { describe, expect, it } from 'vitest';
import { StreamRewriter, type RewriteResult } from './stream-rewriter.ts';

const out = (): RewriteResult => ({ seq: 0, ts: 0, marker: false });

describe('StreamRewriter', () => {
  it('keeps one SSRC with continuous sequence numbers across a source switch', () => {
    const rw = new StreamRewriter(8000, 1234);
    const r = out();
    rw.rewrite('a', 1, 100, 5000, false, 0, r);
    const s0 = r.seq;
    const t0 = r.ts;
    expect(r.marker).toBe(true); // first packet of a source
    rw.rewrite('a', 1, 101, 5160, false, 20, r);
    expect(r.seq).toBe((s0 + 1) & 0xffff);
    expect(r.ts).toBe((t0 + 160) >>> 0);
    expect(r.marker).toBe(false);
    // a new source with unrelated numbering 100 ms later
    rw.rewrite('b', 1, 40000, 99, false, 120, r);
    expect(r.seq).toBe((s0 + 2) & 0xffff);
    expect(r.ts).toBe((t0 + 160 + 800) >>> 0);
    expect(r.marker).toBe(true);
    rw.rewrite('b', 1, 40001, 259, false, 140, r);
    expect(r.seq).toBe((s0 + 3) & 0xffff);
    expect(r.ts).toBe((t0 + 160 + 960) >>> 0);
  });

  it('preserves gaps and reordering inside one source', () => {
    const rw = new StreamRewriter(8000);
    const r = out();
    rw.rewrite('a', 1, 10, 0, false, 0, r);
    const s0 = r.seq;
    rw.rewrite('a', 1, 12, 320, false, 40, r);
    expect(r.seq).toBe((s0 + 2) & 0xffff);
    rw.rewrite('a', 1, 11, 160, false, 41, r);
    expect(r.seq).toBe((s0 + 1) & 0xffff);
    expect(rw.outputSeq).toBe((s0 + 2) & 0xffff);
  });

  it('treats a new SSRC from the same feeder as a new source', () => {
    const rw = new StreamRewriter(8000);
    const r = out();
    rw.rewrite('a', 1, 10, 0, false, 0, r);
    const s0 = r.seq;
    rw.rewrite('a', 2, 11, 160, false, 20, r);
    expect(r.marker).toBe(true);
    expect(r.seq).toBe((s0 + 1) & 0xffff);
  });

  it('treats a huge sequence jump in one source as a restart', () => {
    const rw = new StreamRewriter(8000);
    const r = out();
    rw.rewrite('a', 1, 10, 0, false, 0, r);
    const s0 = r.seq;
    rw.rewrite('a', 1, 30000, 0, false, 20, r);
    expect(r.seq).toBe((s0 + 1) & 0xffff);
    expect(r.marker).toBe(true);
  });
});
