// The page shown for a refused or failed page request.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { paths } from '../paths.ts';
import { layout, type Html } from './layout.ts';

export function errorView(c: Context, status: number, message: string): Html {
  const s = c.get('vmSession');
  return layout(
    c,
    { title: `Error ${status}`, mailbox: s?.mailbox, csrfToken: s?.csrfToken },
    html`<div class="card"><h2>${status === 404 ? 'Not found' : `Error ${status}`}</h2>
<p class="note err">${message}</p>
<p><a class="button" href="${s ? paths.inbox : paths.login}">Back</a></p></div>`,
  );
}
