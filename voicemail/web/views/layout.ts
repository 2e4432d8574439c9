// The page frame: a small inline stylesheet (allowed by the CSP nonce), the navigation for a
// logged-in mailbox, and the CSRF token for scripts in a meta tag.
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CSRF_FIELD } from '../middleware/csrf/index.ts';
import { paths } from '../paths.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
:root { --fg:#1d2330; --muted:#5b6475; --line:#dde2ea; --bg:#f5f7fa; --accent:#2457c5; --new:#c2410c; --danger:#b42318; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); }
header .bar, main { max-width:860px; margin:0 auto; padding:12px 20px; }
header .bar { display:flex; align-items:center; gap:18px; flex-wrap:wrap; }
header h1 { font-size:17px; margin:0; margin-right:auto; }
nav a { color:var(--fg); text-decoration:none; margin-right:14px; }
nav a.here { color:var(--accent); font-weight:600; }
h2 { font-size:20px; margin:18px 0 8px; }
h3 { font-size:16px; margin:0 0 4px; }
audio { display:block; width:100%; max-width:520px; margin:6px 0; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px; margin:10px 0; }
.msg { display:grid; grid-template-columns:1fr auto; gap:6px 16px; align-items:center; }
.msg .who { font-weight:600; overflow-wrap:anywhere; }
.msg .meta { color:var(--muted); font-size:13px; }
.msg audio { width:100%; grid-column:1 / -1; }
.msg .actions { grid-column:1 / -1; display:flex; gap:8px; flex-wrap:wrap; }
.badge { display:inline-block; font-size:12px; border-radius:10px; padding:1px 8px; margin-left:6px; background:var(--line); color:var(--muted); }
.badge.new { background:var(--new); color:#fff; }
button, .button { font:inherit; border:1px solid var(--line); background:#fff; border-radius:6px; padding:5px 12px; cursor:pointer; color:var(--fg); text-decoration:none; }
button:disabled { opacity:.5; cursor:default; }
button.primary { background:var(--accent); border-color:var(--accent); color:#fff; }
button.danger { color:var(--danger); }
form.inline { display:inline; margin:0; }
label { display:block; margin:10px 0 4px; color:var(--muted); }
input[type=text], input[type=password] { font:inherit; padding:7px 9px; border:1px solid var(--line); border-radius:6px; width:100%; max-width:280px; }
.note { padding:9px 12px; border-radius:6px; margin:10px 0; }
.note.ok { background:#e7f6ec; color:#14532d; }
.note.err { background:#fdecea; color:var(--danger); }
.muted { color:var(--muted); }
.login { max-width:340px; margin:50px auto; }
`;

export interface LayoutOptions {
  title: string;
  /** The logged-in mailbox (shows navigation and logout). */
  mailbox?: string;
  csrfToken?: string;
  here?: 'inbox' | 'greetings' | 'pin';
  /** Inline script run with the CSP nonce. */
  script?: string;
}

export function layout(c: Context, o: LayoutOptions, body: Html): Html {
  const nonce = c.get('vmCspNonce');
  const link = (k: LayoutOptions['here'], href: string, text: string) => html`<a href="${href}" class="${o.here === k ? 'here' : ''}">${text}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
${o.csrfToken ? html`<meta name="csrf-token" content="${o.csrfToken}">` : ''}
<title>${o.title} · Voicemail</title>
<style nonce="${nonce}">${raw(STYLE)}</style>
</head>
<body>
<header><div class="bar">
<h1>Voicemail${o.mailbox ? html` · ${o.mailbox}` : ''}</h1>
${o.mailbox
    ? html`<nav>${link('inbox', paths.inbox, 'Messages')}${link('greetings', paths.greetings, 'Greetings')}${link('pin', paths.pin, 'PIN')}</nav>
<form class="inline" method="post" action="${paths.logout}">${csrfField(o.csrfToken)}<button type="submit">Log out</button></form>`
    : ''}
</div></header>
<main>
${body}
</main>
${o.script ? html`<script nonce="${nonce}">${scriptText(o.script)}</script>` : ''}
</body>
</html>`;
}

export function csrfField(token: string | undefined): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token ?? ''}">`;
}

/** Script text is ours (no user data); only `</` needs care inside a script element. */
function scriptText(js: string): HtmlEscapedString {
  return raw(js.replace(/<\//g, '<\\/'));
}
