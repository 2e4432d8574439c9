// Newline-delimited JSON over a stream socket, with a line-length bound so a peer cannot make us
// buffer without limit.

import type { Socket } from 'node:net';

export class LineReader {
  private buf = '';

  constructor(
    private readonly maxLine: number,
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: string): void {
    this.buf += chunk;
    for (let guard = 0; guard < 100_000; guard++) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0) break;
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) this.onLine(line);
    }
    if (this.buf.length > this.maxLine) {
      this.buf = '';
      this.onOverflow();
    }
  }
}

export function attachLineReader(socket: Socket, maxLine: number, onLine: (line: string) => void): void {
  socket.setEncoding('utf8');
  const reader = new LineReader(maxLine, onLine, () => socket.destroy(new Error('control line too long')));
  socket.on('data', (chunk: string) => reader.push(chunk));
}

export function writeMessage(socket: Socket, msg: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(msg)}\n`);
}
