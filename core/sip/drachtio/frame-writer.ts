// Frames bound for one app, queued and written in as few socket writes as possible.
//
// On a VM every write to the app's socket costs the engine a syscall and the app a wake-up and a
// read, far more than building the frame. Frames therefore go out once per event-loop turn, and
// no sooner than `coalesceMs` after the previous write: at low rates that is one turn later, under
// load the frames of a whole window share one write. Order is kept, so the echo of a request still
// precedes anything its transaction produces (drachtio §3.13).

export class FrameWriter {
  private heads: string[] = [];
  private bodies: (Buffer | undefined)[] = [];
  private bytes = 0;
  private scheduled = false;
  private lastWrite = 0;

  constructor(
    private readonly write: (data: Buffer) => void,
    private readonly coalesceMs: number,
  ) {}

  /** Queue `<length>#<payload>` where the payload is `payloadHead` followed by `body`. */
  push(payloadHead: string, body?: Buffer): void {
    const len = Buffer.byteLength(payloadHead) + (body === undefined ? 0 : body.length);
    const prefix = `${len}#`;
    this.heads.push(prefix + payloadHead);
    this.bodies.push(body);
    this.bytes += prefix.length + len;
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastWrite + this.coalesceMs - Date.now();
    if (wait > 0) setTimeout(this.flush, wait);
    else setImmediate(this.flush);
  }

  /** Write everything queued now, in one write. */
  readonly flush = (): void => {
    this.scheduled = false;
    const n = this.heads.length;
    if (n === 0) return;
    const out = Buffer.allocUnsafe(this.bytes);
    let off = 0;
    for (let i = 0; i < n; i++) {
      off += out.write(this.heads[i]!, off, 'utf8');
      const b = this.bodies[i];
      if (b !== undefined) {
        out.set(b, off);
        off += b.length;
      }
    }
    this.heads = [];
    this.bodies = [];
    this.bytes = 0;
    this.lastWrite = Date.now();
    this.write(out);
  };

  /** Drop what is queued (the connection is gone). */
  clear(): void {
    this.heads = [];
    this.bodies = [];
    this.bytes = 0;
  }
}
