// The JSON API under /voicemail/api, mirroring the pages with the same session (cookie) and the
// CSRF token in the X-CSRF-Token header. Login and logout are in auth-routes.ts.
import { Hono } from 'hono';
import { z } from 'zod';
import { jsonBody } from '../../../core/pbx/http/json-body.ts';
import { changePin, greetingKind, messageJson, ownMessage, saveGreeting } from '../actions.ts';
import type { WebDeps } from '../deps.ts';
import { GREETING_KINDS } from '../mailbox-access.ts';
import { requireCsrf } from '../middleware/csrf/index.ts';
import { requireSession, sessionOf } from '../middleware/session/index.ts';
import { apiPaths, paths } from '../paths.ts';
import { sourceAddress } from '../request.ts';
import { greetingAudio, messageAudio } from './page-routes.ts';

const heardBody = z.object({ heard: z.boolean().default(true) }).strict();
const pinBody = z.object({ currentPin: z.string().max(64), newPin: z.string().max(64) }).strict();

export function apiRoutes(d: WebDeps): Hono {
  const app = new Hono();
  const guard = [requireSession('api', paths.login), requireCsrf()] as const;

  app.get('/messages', ...guard, (c) => {
    const s = sessionOf(c);
    return c.json({ mailbox: s.mailbox, counts: d.store.counts(s.mailbox), messages: d.store.list(s.mailbox).map(messageJson) });
  });

  app.get('/messages/:id', ...guard, (c) => c.json({ message: messageJson(ownMessage(d.store, sessionOf(c), c.req.param('id'))) }));

  app.post('/messages/:id/heard', ...guard, async (c) => {
    const s = sessionOf(c);
    const m = ownMessage(d.store, s, c.req.param('id'));
    const { heard } = await jsonBody(c, heardBody);
    d.store.markHeard(m.id, heard);
    return c.json({ message: messageJson({ ...m, heard }), counts: d.store.counts(s.mailbox) });
  });

  app.delete('/messages/:id', ...guard, (c) => {
    const s = sessionOf(c);
    d.store.delete(ownMessage(d.store, s, c.req.param('id')).id);
    return c.json({ counts: d.store.counts(s.mailbox) });
  });

  app.get('/messages/:id/audio', ...guard, (c) => messageAudio(c, d, false));
  app.get('/messages/:id/download', ...guard, (c) => messageAudio(c, d, true));

  app.get('/greetings', ...guard, (c) => {
    const s = sessionOf(c);
    const greetings = GREETING_KINDS.map((kind) => {
      const present = d.store.greetingPath(s.mailbox, kind) !== undefined;
      return { kind, present, audioUrl: present ? apiPaths.greetingAudio(kind) : null };
    });
    return c.json({ greetings });
  });

  app.put('/greetings/:kind', ...guard, async (c) => {
    const kind = greetingKind(c.req.param('kind'));
    saveGreeting(d.store, sessionOf(c), kind, Buffer.from(await c.req.arrayBuffer()));
    return c.body(null, 204);
  });

  app.delete('/greetings/:kind', ...guard, (c) => {
    d.store.deleteGreeting(sessionOf(c).mailbox, greetingKind(c.req.param('kind')));
    return c.body(null, 204);
  });

  app.get('/greetings/:kind/audio', ...guard, (c) => greetingAudio(c, d));

  app.post('/pin', ...guard, async (c) => {
    const b = await jsonBody(c, pinBody);
    changePin(d, sessionOf(c), { current: b.currentPin, pin: b.newPin, source: sourceAddress(c) });
    return c.body(null, 204);
  });

  return app;
}
