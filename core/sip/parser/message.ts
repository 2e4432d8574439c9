// The SIP message model shared by every layer of the engine.
//
// Lossless by design: headers keep their order, their original name spelling and their raw value,
// so a message we relay or echo to the app reads as it arrived. Typed views (Via, CSeq, URIs) are
// parsed on demand by the functions in ./headers.ts and never replace the raw text.

import { canonicalHeaderName } from './header-names.ts';
import type { MessageViews } from './views.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Result<T> => ({ ok: false, error });

export interface SipHeader {
  /** Name as written on the wire (may be compact, any case). */
  readonly rawName: string;
  /** Canonical lower-case long form, e.g. `via` for `v`, `call-id` for `i`. */
  readonly name: string;
  value: string;
}

abstract class SipMessageBase {
  headers: SipHeader[] = [];
  body: Buffer = Buffer.alloc(0);
  /** The bytes as received, when this message came off the wire (relayed to apps unchanged). */
  raw: Buffer | undefined;
  /** Parsed views of hot headers, each tied to the text it came from (see views.ts). */
  views: MessageViews | undefined;

  /** First value of a header (compact and any-case names accepted). */
  get(name: string): string | undefined {
    const key = canonicalHeaderName(name);
    for (const h of this.headers) if (h.name === key) return h.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Every header line with that name, in order (a line may still hold comma-joined values). */
  getLines(name: string): string[] {
    const key = canonicalHeaderName(name);
    const out: string[] = [];
    for (const h of this.headers) if (h.name === key) out.push(h.value);
    return out;
  }

  /** Replace every line of `name` with one line, keeping the position of the first. */
  set(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const line: SipHeader = { rawName: name, name: key, value };
    const headers = this.headers;
    let idx = -1;
    for (let i = 0; i < headers.length; i++) {
      if (headers[i]!.name !== key) continue;
      if (idx < 0) {
        idx = i;
        headers[i] = line;
      } else {
        headers.splice(i--, 1);
      }
    }
    if (idx < 0) headers.push(line);
    return this;
  }

  /** Append a header line at the end. */
  append(name: string, value: string): this {
    this.headers.push({ rawName: name, name: canonicalHeaderName(name), value });
    return this;
  }

  /** Insert a header line before all others of its name (Via, Record-Route, Route). */
  prepend(name: string, value: string): this {
    const key = canonicalHeaderName(name);
    const idx = this.headers.findIndex((h) => h.name === key);
    const line = { rawName: name, name: key, value };
    if (idx < 0) this.headers.push(line);
    else this.headers.splice(idx, 0, line);
    return this;
  }

  remove(name: string): this {
    const key = canonicalHeaderName(name);
    this.headers = this.headers.filter((h) => h.name !== key);
    return this;
  }

  abstract clone(): SipMessage;

  protected copyInto<T extends SipMessageBase>(target: T): T {
    target.headers = this.headers.map((h) => ({ ...h }));
    target.body = this.body;
    return target;
  }
}

export class SipRequest extends SipMessageBase {
  readonly kind = 'request' as const;
  constructor(
    public method: string,
    public uri: string,
    public version = 'SIP/2.0',
  ) {
    super();
  }
  clone(): SipRequest {
    return this.copyInto(new SipRequest(this.method, this.uri, this.version));
  }
}

export class SipResponse extends SipMessageBase {
  readonly kind = 'response' as const;
  constructor(
    public status: number,
    public reason: string,
    public version = 'SIP/2.0',
  ) {
    super();
  }
  clone(): SipResponse {
    return this.copyInto(new SipResponse(this.status, this.reason, this.version));
  }
}

export type SipMessage = SipRequest | SipResponse;
