// The message list: who called, when, how long, new or heard; a player, download, mark and delete.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { WebMessage } from '../mailbox-access.ts';
import type { WebSession } from '../middleware/session/index.ts';
import { apiPaths, paths } from '../paths.ts';
import { callerLabel, formatDuration, formatTime } from './format.ts';
import { csrfField, layout, type Html } from './layout.ts';
import { PLAYER_SCRIPT } from './scripts.ts';

export function inboxView(
  c: Context,
  s: WebSession,
  o: { messages: WebMessage[]; counts: { newCount: number; oldCount: number }; notice?: string },
): Html {
  const { newCount, oldCount } = o.counts;
  return layout(
    c,
    { title: 'Messages', mailbox: s.mailbox, csrfToken: s.csrfToken, here: 'inbox', script: PLAYER_SCRIPT },
    html`<h2>Messages</h2>
<p class="muted" id="counts">${newCount} new, ${oldCount} old</p>
${o.notice ? html`<p class="note ok" role="status">${o.notice}</p>` : ''}
${o.messages.length === 0 ? html`<div class="card muted">No messages.</div>` : o.messages.map((m) => messageCard(m, s.csrfToken))}`,
  );
}

function messageCard(m: WebMessage, csrf: string): Html {
  return html`<div class="card msg" data-message="${m.id}">
<div><span class="who">${callerLabel(m)}</span><span class="badge${m.heard ? '' : ' new'}" data-status>${m.heard ? 'heard' : 'new'}</span></div>
<div class="meta"><time datetime="${new Date(m.receivedAt).toISOString()}">${formatTime(m.receivedAt)}</time> · <span data-duration>${formatDuration(m.durationMs)}</span></div>
<audio controls preload="metadata" src="${paths.audio(m.id)}" data-heard-url="${apiPaths.heard(m.id)}" data-heard="${m.heard ? 'true' : 'false'}"></audio>
<div class="actions">
<form class="inline" method="post" action="${paths.message(m.id)}/heard" data-toggle-heard>${csrfField(csrf)}<input type="hidden" name="heard" value="${m.heard ? '0' : '1'}"><button type="submit">${m.heard ? 'Mark as new' : 'Mark as heard'}</button></form>
<a class="button" href="${paths.download(m.id)}" download>Download</a>
<form class="inline" method="post" action="${paths.message(m.id)}/delete">${csrfField(csrf)}<button class="danger" type="submit">Delete</button></form>
</div>
</div>`;
}
