// Changing the voicemail PIN: the current one, then the new one twice.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { WebSession } from '../middleware/session/index.ts';
import { paths } from '../paths.ts';
import { csrfField, layout, type Html } from './layout.ts';

export function pinView(c: Context, s: WebSession, o: { error?: string; notice?: string } = {}): Html {
  return layout(
    c,
    { title: 'PIN', mailbox: s.mailbox, csrfToken: s.csrfToken, here: 'pin' },
    html`<h2>Change PIN</h2>
<div class="card">
${o.notice ? html`<p class="note ok" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="note err" role="alert">${o.error}</p>` : ''}
<form method="post" action="${paths.pin}">
${csrfField(s.csrfToken)}
<label for="current">Current PIN</label>
<input type="password" id="current" name="current" inputmode="numeric" autocomplete="current-password" required>
<label for="pin">New PIN (4 to 12 digits)</label>
<input type="password" id="pin" name="pin" inputmode="numeric" autocomplete="new-password" required>
<label for="repeat">New PIN again</label>
<input type="password" id="repeat" name="repeat" inputmode="numeric" autocomplete="new-password" required>
<p><button class="primary" type="submit">Change PIN</button></p>
</form>
<p class="muted">The same PIN opens your mailbox by phone.</p>
</div>`,
  );
}
