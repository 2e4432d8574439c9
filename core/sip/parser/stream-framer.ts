// Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3) and keep-alives (RFC 5626 §3.5.1).

import { findHeaderEnd } from './header-lines.ts';
import { parseBoundedInt, trimWs } from './lex.ts';

export type FrameEvent =
  | { type: 'message'; data: Buffer }
  /** CRLFCRLF between messages: the peer wants a single CRLF back. */
  | { type: 'ping' }
  /** A single CRLF between messages: the answer to our ping. */
  | { type: 'pong' }
  /** Framing is lost; the caller closes the connection. No events follow. */
  | { type: 'error'; error: string };

export interface StreamFramerOptions {
  maxMessageBytes: number;
}

/**
 * Feed it every chunk in order. Message data are views into the framer's storage or the
 * pushed chunk (no copy); neither is ever written again, so the views stay valid.
 */
export class StreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** `buf` is a pushed chunk, not storage we may append into. */
  private borrowed = true;
  /** Where the search for the end of headers resumes, so a trickle is not rescanned. */
  private scanFrom = 0;
  /** Length of the message at `start` once its headers are read; -1 before. */
  private need = -1;
  private pongAtEnd = false;
  private dead = false;

  constructor(private readonly opts: StreamFramerOptions) {}

  push(chunk: Buffer): FrameEvent[] {
    if (this.dead) return [];
    const events: FrameEvent[] = [];
    this.append(chunk);
    // A ping split after its first CRLF was reported as a pong; if the rest arrives now,
    // report the ping too so that it gets answered.
    const splitPing = this.pongAtEnd;
    this.pongAtEnd = false;
    const error = this.drain(events, splitPing);
    if (error !== undefined) {
      this.dead = true;
      this.buf = Buffer.alloc(0);
      events.push({ type: 'error', error });
    } else if (this.borrowed && this.end > this.start) {
      // Keep no reference into the caller's chunk past this call: it may be a reused buffer.
      this.reallocate(0);
    }
    return events;
  }

  private append(chunk: Buffer): void {
    if (this.start === this.end) {
      this.buf = chunk;
      this.start = this.scanFrom = 0;
      this.end = chunk.length;
      this.borrowed = true;
      return;
    }
    if (this.borrowed || this.end + chunk.length > this.buf.length) this.reallocate(chunk.length);
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Move the live bytes to fresh storage with room for `extra` more; never writes in place. */
  private reallocate(extra: number): void {
    const live = this.end - this.start;
    // Doubling keeps a byte-by-byte trickle linear overall.
    const next = Buffer.allocUnsafe(Math.max(4096, 2 * (live + extra)));
    this.buf.copy(next, 0, this.start, this.end);
    this.scanFrom -= this.start;
    this.start = 0;
    this.end = live;
    this.buf = next;
    this.borrowed = false;
  }

  private drain(events: FrameEvent[], splitPing: boolean): string | undefined {
    for (;;) {
      if (this.need < 0) {
        if (!this.skipKeepAlives(events, splitPing)) return undefined;
        splitPing = false;
        if (this.start === this.end) return undefined;
        const view = this.buf.subarray(0, this.end);
        const found = findHeaderEnd(view, Math.max(this.scanFrom, this.start));
        if (found === undefined) {
          this.scanFrom = Math.max(this.start, this.end - 2);
          return this.end - this.start > this.opts.maxMessageBytes ? 'Message too large' : undefined;
        }
        const cl = contentLength(this.buf.toString('latin1', this.start, found.headEnd));
        if (typeof cl === 'string') return cl;
        this.need = found.bodyStart - this.start + cl;
        if (this.need > this.opts.maxMessageBytes) return 'Message too large';
      }
      if (this.end - this.start < this.need) return undefined;
      events.push({ type: 'message', data: this.buf.subarray(this.start, this.start + this.need) });
      this.start += this.need;
      this.scanFrom = this.start;
      this.need = -1;
    }
  }

  /** Consume CR/LF between messages; false while a possible ping is still incomplete. */
  private skipKeepAlives(events: FrameEvent[], splitPing: boolean): boolean {
    const b = this.buf;
    while (this.start < this.end) {
      const avail = this.end - this.start;
      const c = b[this.start];
      if (c !== 13) {
        if (c !== 10) return true;
        this.start++; // a bare LF between messages carries no meaning
        continue;
      }
      if (avail < 2) return false;
      if (b[this.start + 1] !== 10) {
        this.start++;
        continue;
      }
      if (avail >= 4 && b[this.start + 2] === 13 && b[this.start + 3] === 10) {
        events.push({ type: 'ping' });
        this.start += 4;
      } else if (avail === 3 && b[this.start + 2] === 13) {
        return false;
      } else {
        // A lone CRLF ending the data might be half a ping; pings are sent in one write and
        // almost never split, so report the pong now rather than stall it (see push).
        events.push({ type: splitPing ? 'ping' : 'pong' });
        this.start += 2;
        this.pongAtEnd = this.start === this.end && !splitPing;
      }
      splitPing = false;
    }
    return true;
  }
}

/** The single Content-Length (or `l`) of a header block, or why framing is impossible. */
function contentLength(head: string): number | string {
  let value: string | undefined;
  let count = 0;
  let inLength = false;
  let pos = head.indexOf('\n') + 1;
  while (pos > 0 && pos < head.length) {
    let nl = head.indexOf('\n', pos);
    if (nl < 0) nl = head.length;
    const c0 = head.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) {
      if (inLength) value += ` ${head.slice(pos, nl)}`;
    } else {
      let colon = pos;
      while (colon < nl && head.charCodeAt(colon) !== 58) colon++;
      const name = trimWs(head.slice(pos, colon)).toLowerCase();
      inLength = colon < nl && (name === 'content-length' || name === 'l');
      if (inLength) {
        count++;
        value = head.slice(colon + 1, nl);
      }
    }
    pos = nl + 1;
  }
  if (count === 0 || value === undefined) return 'Missing Content-Length on stream transport';
  if (count > 1) return 'Multiple Content-Length headers';
  const v = trimWs(value.replace(/\r/g, ''));
  if (!/^[0-9]+$/.test(v)) return 'Bad Content-Length';
  const n = parseBoundedInt(v, 0, v.length, 2 ** 31 - 1);
  return n < 0 ? 'Bad Content-Length' : n;
}
