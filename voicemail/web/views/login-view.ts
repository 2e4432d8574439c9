// The login form: extension and PIN, with the pre-login CSRF token.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { paths } from '../paths.ts';
import { csrfField, layout, type Html } from './layout.ts';

export function loginView(c: Context, o: { csrfToken: string; error?: string; extension?: string; notice?: string }): Html {
  return layout(
    c,
    { title: 'Log in' },
    html`<div class="card login">
<h2>Log in</h2>
${o.notice ? html`<p class="note ok">${o.notice}</p>` : ''}
${o.error ? html`<p class="note err" role="alert">${o.error}</p>` : ''}
<form method="post" action="${paths.login}">
${csrfField(o.csrfToken)}
<label for="extension">Extension</label>
<input type="text" id="extension" name="extension" inputmode="numeric" autocomplete="username" required value="${o.extension ?? ''}">
<label for="pin">Voicemail PIN</label>
<input type="password" id="pin" name="pin" inputmode="numeric" autocomplete="current-password" required>
<p><button class="primary" type="submit">Log in</button></p>
</form>
</div>`,
  );
}
