// Greetings: for each kind, the current recording (if any), an upload form, recording in the
// browser (scripts.ts) and delete.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { GreetingKind } from '../mailbox-access.ts';
import type { WebSession } from '../middleware/session/index.ts';
import { apiPaths, paths } from '../paths.ts';
import { csrfField, layout, type Html } from './layout.ts';
import { RECORDER_SCRIPT } from './scripts.ts';

const ABOUT: Record<GreetingKind, { title: string; when: string }> = {
  unavailable: { title: 'Unavailable', when: 'Played when you do not answer or your phone is not reachable.' },
  busy: { title: 'Busy', when: 'Played when you are on another call.' },
  name: { title: 'Name', when: 'Your name, as callers hear it.' },
};

export interface GreetingsViewOptions {
  greetings: { kind: GreetingKind; present: boolean }[];
  maxGreetingSec: number;
  maxGreetingBytes: number;
  notice?: string;
  error?: string;
}

export function greetingsView(c: Context, s: WebSession, o: GreetingsViewOptions): Html {
  return layout(
    c,
    { title: 'Greetings', mailbox: s.mailbox, csrfToken: s.csrfToken, here: 'greetings', script: RECORDER_SCRIPT },
    html`<h2>Greetings</h2>
${o.notice ? html`<p class="note ok" role="status">${o.notice}</p>` : ''}
${o.error ? html`<p class="note err" role="alert">${o.error}</p>` : ''}
<p class="muted">Upload a WAV file (16-bit PCM, mono, 8, 16 or 48 kHz, up to ${Math.floor(o.maxGreetingBytes / 1024)} KiB) or record one here (up to ${o.maxGreetingSec} s).</p>
${o.greetings.map((g) => greetingCard(g.kind, g.present, s.csrfToken, o.maxGreetingSec))}`,
  );
}

function greetingCard(kind: GreetingKind, present: boolean, csrf: string, maxSec: number): Html {
  const about = ABOUT[kind];
  return html`<div class="card" data-greeting="${kind}">
<h3>${about.title}</h3>
<p class="muted">${about.when}</p>
${present
    ? html`<audio controls preload="none" src="${paths.greetingAudio(kind)}"></audio>`
    : html`<p class="muted" data-none>None recorded: callers hear the default.</p>`}
<form method="post" action="${paths.greeting(kind)}" enctype="multipart/form-data">
${csrfField(csrf)}<input type="file" name="greeting" accept=".wav,audio/wav,audio/x-wav" required> <button type="submit">Upload</button>
</form>
<p data-recorder data-kind="${kind}" data-upload-url="${apiPaths.greeting(kind)}" data-done-url="${paths.greetings}?done=greeting-saved" data-max-sec="${maxSec}">
<button type="button" data-start>Record</button> <button type="button" data-stop disabled>Stop and save</button> <span data-rec-status class="muted"></span>
</p>
${present
    ? html`<form class="inline" method="post" action="${paths.greeting(kind)}/delete">${csrfField(csrf)}<button class="danger" type="submit">Delete</button></form>`
    : ''}
</div>`;
}
