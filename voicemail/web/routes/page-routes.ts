// The server-rendered pages: messages, greetings, PIN. Form posts answer with a redirect (303) to
// the page they came from, so reloading never repeats them.
import { Hono, type Context } from 'hono';
import type { WebDeps } from '../deps.ts';
import { GREETING_KINDS } from '../mailbox-access.ts';
import { requireCsrf } from '../middleware/csrf/index.ts';
import { requireSession, sessionOf } from '../middleware/session/index.ts';
import { paths } from '../paths.ts';
import { field, sourceAddress } from '../request.ts';
import { changePin, greetingKind, ownMessage, saveGreeting } from '../actions.ts';
import { sendFile } from '../audio/send-file.ts';
import { downloadName } from '../views/format.ts';
import { greetingsView } from '../views/greetings-view.ts';
import { inboxView } from '../views/inbox-view.ts';
import { noticeFor } from '../views/notices.ts';
import { pinView } from '../views/pin-view.ts';
import { WebError } from '../web-error.ts';

const WAV = 'audio/wav';

export function pageRoutes(d: WebDeps): Hono {
  const app = new Hono();
  const guard = [requireSession('page', paths.login), requireCsrf()] as const;

  app.get('/', ...guard, (c) => {
    const s = sessionOf(c);
    return c.html(inboxView(c, s, { messages: d.store.list(s.mailbox), counts: d.store.counts(s.mailbox), notice: noticeFor(c.req.query('done')) }));
  });

  app.post('/messages/:id/heard', ...guard, async (c) => {
    const m = ownMessage(d.store, sessionOf(c), c.req.param('id'));
    const heard = field(await c.req.parseBody(), 'heard') !== '0';
    d.store.markHeard(m.id, heard);
    return c.redirect(`${paths.inbox}?done=${heard ? 'heard' : 'unheard'}`, 303);
  });

  app.post('/messages/:id/delete', ...guard, (c) => {
    const m = ownMessage(d.store, sessionOf(c), c.req.param('id'));
    d.store.delete(m.id);
    return c.redirect(`${paths.inbox}?done=deleted`, 303);
  });

  app.get('/messages/:id/audio', ...guard, (c) => messageAudio(c, d, false));
  app.get('/messages/:id/download', ...guard, (c) => messageAudio(c, d, true));

  app.get('/greetings', ...guard, (c) => c.html(greetingsPage(c, d, { notice: noticeFor(c.req.query('done')) })));

  app.post('/greetings/:kind', ...guard, async (c) => {
    const s = sessionOf(c);
    const kind = greetingKind(c.req.param('kind'));
    const file = (await c.req.parseBody()).greeting;
    try {
      if (typeof file !== 'object' || file === null) throw new WebError(400, 'choose a WAV file to upload');
      saveGreeting(d.store, s, kind, Buffer.from(await (file as File).arrayBuffer()));
    } catch (err) {
      if (!(err instanceof WebError) || err.status !== 400) throw err;
      return c.html(greetingsPage(c, d, { error: err.message }), 400);
    }
    return c.redirect(`${paths.greetings}?done=greeting-saved`, 303);
  });

  app.post('/greetings/:kind/delete', ...guard, (c) => {
    d.store.deleteGreeting(sessionOf(c).mailbox, greetingKind(c.req.param('kind')));
    return c.redirect(`${paths.greetings}?done=greeting-deleted`, 303);
  });

  app.get('/greetings/:kind/audio', ...guard, (c) => greetingAudio(c, d));

  app.get('/pin', ...guard, (c) => c.html(pinView(c, sessionOf(c))));

  app.post('/pin', ...guard, async (c) => {
    const s = sessionOf(c);
    const body = await c.req.parseBody();
    try {
      changePin(d, s, { current: field(body, 'current'), pin: field(body, 'pin'), repeat: field(body, 'repeat'), source: sourceAddress(c) });
    } catch (err) {
      if (!(err instanceof WebError)) throw err;
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return c.html(pinView(c, s, { error: err.message }), err.status);
    }
    return c.html(pinView(c, s, { notice: 'PIN changed.' }));
  });

  return app;
}

function greetingsPage(c: Context, d: WebDeps, o: { notice?: string; error?: string }) {
  const s = sessionOf(c);
  return greetingsView(c, s, {
    greetings: GREETING_KINDS.map((kind) => ({ kind, present: d.store.greetingPath(s.mailbox, kind) !== undefined })),
    maxGreetingSec: d.settings.maxGreetingSec,
    maxGreetingBytes: d.settings.maxGreetingBytes,
    ...o,
  });
}

/** The audio of one of the session's messages; never a path built from the request. */
export async function messageAudio(c: Context, d: WebDeps, download: boolean): Promise<Response> {
  const m = ownMessage(d.store, sessionOf(c), c.req.param('id') ?? '');
  const path = d.store.audioPath(m.id);
  if (!path) throw new WebError(404, 'no such message');
  return sendFile(c, path, { contentType: WAV, downloadName: download ? downloadName(m) : undefined });
}

export async function greetingAudio(c: Context, d: WebDeps): Promise<Response> {
  const kind = greetingKind(c.req.param('kind') ?? '');
  const path = d.store.greetingPath(sessionOf(c).mailbox, kind);
  if (!path) throw new WebError(404, 'no such greeting recorded');
  return sendFile(c, path, { contentType: WAV });
}
