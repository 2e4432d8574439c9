// Sends a WAV file with what browsers need for audio: HEAD, single byte ranges (206 with
// Content-Range, 416 outside the file), a validator for If-Range, and an attachment name for
// downloads. The file is opened only when the body is read, so HEAD and an abandoned response
// never hold a descriptor.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Context } from 'hono';
import { WebError } from '../web-error.ts';
import { parseRange } from './range.ts';

const CHUNK = 64 * 1024;

export interface SendFileOptions {
  contentType: string;
  /** Sent as an attachment with this (ASCII) file name. */
  downloadName?: string;
}

export async function sendFile(c: Context, path: string, opts: SendFileOptions): Promise<Response> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) throw new WebError(404, 'audio file missing');
  const size = st.size;
  const etag = `"${size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'Content-Type': opts.contentType,
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': st.mtime.toUTCString(),
    'Cache-Control': 'private, no-store',
  };
  if (opts.downloadName) headers['Content-Disposition'] = `attachment; filename="${opts.downloadName}"`;

  const ifRange = c.req.header('If-Range');
  const range = ifRange === undefined || ifRange === etag ? parseRange(c.req.header('Range'), size) : ({ kind: 'full' } as const);
  if (range.kind === 'unsatisfiable') {
    return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${size}` });
  }
  const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
  const length = end - start + 1;
  headers['Content-Length'] = String(length);
  if (range.kind === 'partial') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const status = range.kind === 'partial' ? 206 : 200;
  if (c.req.method === 'HEAD' || length === 0) return c.body(null, status, headers);
  return c.body(fileStream(path, start, end), status, headers);
}

function fileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let fh: FileHandle | undefined;
  let pos = start;
  const close = async () => {
    const h = fh;
    fh = undefined;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctrl) {
        try {
          fh ??= await open(path, 'r');
          const want = Math.min(CHUNK, end + 1 - pos);
          const buf = Buffer.allocUnsafe(want);
          const { bytesRead } = await fh.read(buf, 0, want, pos);
          if (bytesRead === 0) throw new Error(`${path} shrank while being sent`);
          pos += bytesRead;
          ctrl.enqueue(new Uint8Array(buf.buffer, buf.byteOffset, bytesRead));
          if (pos > end) {
            await close();
            ctrl.close();
          }
        } catch (err) {
          await close().catch(() => {});
          ctrl.error(err);
        }
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  );
}
