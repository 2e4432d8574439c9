// Test helpers: an HTTP client with a cookie jar that logs in like a browser (the pre-login CSRF
// cookie, the session cookie, the CSRF token for state-changing calls), and a raw GET that sends
// a path exactly as written (fetch would resolve `..` segments before sending).
import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class WebClient {
  readonly cookies = new Map<string, string>();
  /** The session's CSRF token, once logged in through login() or loginForm(). */
  csrf: string | undefined;

  constructor(readonly origin: string) {}

  async fetch(path: string, init: RequestInit & { form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    const { form, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (this.cookies.size > 0) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    let body = rest.body;
    if (form) {
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(form).toString();
    } else if (json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(json);
    }
    const res = await fetch(this.origin + path, { ...rest, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.remember(line);
    return res;
  }

  /** Like fetch, with the session's CSRF token in X-CSRF-Token. */
  send(path: string, init: RequestInit & { form?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
    return this.fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), 'X-CSRF-Token': this.csrf ?? '' } });
  }

  /** API login; returns the response (200 with { mailbox, csrfToken } when it worked). */
  async login(extension: string, pin: string): Promise<Response> {
    const pre = (await (await this.fetch('/voicemail/api/login')).json()) as { csrfToken: string };
    const res = await this.fetch('/voicemail/api/login', { method: 'POST', json: { extension, pin }, headers: { 'X-CSRF-Token': pre.csrfToken } });
    if (res.ok) this.csrf = ((await res.clone().json()) as { csrfToken: string }).csrfToken;
    return res;
  }

  /** Login through the form, as a browser does. */
  async loginForm(extension: string, pin: string): Promise<Response> {
    const page = await (await this.fetch('/voicemail/login')).text();
    const res = await this.fetch('/voicemail/login', { method: 'POST', form: { _csrf: hiddenCsrf(page), extension, pin } });
    if (res.status === 303) this.csrf = hiddenCsrf(await (await this.fetch('/voicemail')).text());
    return res;
  }

  /** GET with the path sent byte for byte as given. */
  raw(path: string, method = 'GET'): Promise<RawResponse> {
    const url = new URL(this.origin);
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  private remember(line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const gone = value === '' || attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) || (/^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
    if (gone) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The value of the `_csrf` hidden field of a page. */
export function hiddenCsrf(page: string): string {
  const m = /name="_csrf" value="([^"]*)"/.exec(page);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1]!;
}
