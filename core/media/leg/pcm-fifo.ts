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

  push(pcm: Int16Array, n = pcm.length): void {
    this.reserve(n);
    this.buf.set(n === pcm.length ? pcm : pcm.subarray(0, n), this.len);
    this.len += n;
  }

  pushSilence(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Int16Array(Math.max(this.buf.length * 2, this.len + n));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
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
