// drachtio admin-socket framing: `<decimal byte length>#<payload>`, frames back to back.

/** Frames are views into the received bytes, valid until the next push. */
export type FrameResult = { ok: true; frames: Buffer[] } | { ok: false; error: string };

/** Largest frame we accept from an app; drachtio-server allows 5 length digits, we are lenient. */
const MAX_LENGTH_DIGITS = 9;

export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  push(chunk: Buffer): FrameResult {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      const hash = this.buf.indexOf(0x23 /* # */);
      if (hash < 0) {
        if (this.buf.length > MAX_LENGTH_DIGITS) return { ok: false, error: 'frame length prefix too long' };
        break;
      }
      if (hash === 0 || hash > MAX_LENGTH_DIGITS) return { ok: false, error: 'bad frame length prefix' };
      let len = 0;
      for (let i = 0; i < hash; i++) {
        const d = this.buf[i]! - 0x30;
        if (d < 0 || d > 9) return { ok: false, error: 'non-digit in frame length' };
        len = len * 10 + d;
      }
      if (len > this.maxFrameBytes) return { ok: false, error: `frame of ${len} bytes exceeds limit` };
      const end = hash + 1 + len;
      if (this.buf.length < end) break;
      frames.push(this.buf.subarray(hash + 1, end));
      this.buf = this.buf.subarray(end);
    }
    if (this.buf.length === 0) this.buf = Buffer.alloc(0);
    return { ok: true, frames };
  }
}
