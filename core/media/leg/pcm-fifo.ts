// A small sample FIFO between the decoder (packets of any duration) and the 20 ms tick.

export class PcmFifo {
  private buf: Int16Array;
  private len = 0;

  constructor(capacity: number) {
    this.buf = new Int16Array(capacity);
  }

  get length(): number {
    return this.len;
  }

  push(pcm: Int16Array): void {
    if (this.len + pcm.length > this.buf.length) {
      const grown = new Int16Array(Math.max(this.buf.length * 2, this.len + pcm.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(pcm, this.len);
    this.len += pcm.length;
  }

  pushSilence(n: number): void {
    this.push(new Int16Array(n));
  }

  /** Move the first `out.length` samples into `out` (zero-filling a shortfall). */
  shift(out: Int16Array): void {
    const n = Math.min(out.length, this.len);
    out.set(this.buf.subarray(0, n));
    out.fill(0, n);
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }

  clear(): void {
    this.len = 0;
  }
}
