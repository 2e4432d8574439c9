// Read-only views: /api/registrations (live bindings) and /api/cdrs (call records).
import { Hono } from 'hono';
import { z } from 'zod';
import type { LocatedContact, LocationService } from '../location/location-service.ts';
import { MAX_CDR_PAGE, type Cdr, type CdrStore } from '../store/cdr.ts';
import { describeIssues } from '../users/user-input.ts';
import { ApiError } from './errors.ts';

export function registrationsRoutes(location: LocationService): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const target = c.req.query('aor');
    const list = target === undefined ? await location.all() : await location.lookup(target);
    return c.json({ registrations: list.map(registrationJson) });
  });
  return app;
}

const cdrQuery = z
  .object({
    party: z.string().min(1).max(64).optional(),
    before: z.coerce.date().optional(),
    limit: z.coerce.number().int().min(1).max(MAX_CDR_PAGE).optional(),
  })
  .strict();

export function cdrRoutes(cdrs: CdrStore): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const q = cdrQuery.safeParse(c.req.query());
    if (!q.success) throw new ApiError(400, 'invalid query', describeIssues(q.error));
    const list = cdrs.list({ party: q.data.party, before: q.data.before?.getTime(), limit: q.data.limit });
    return c.json({ cdrs: list.map(cdrJson) });
  });
  app.get('/:id', (c) => {
    const id = Number(c.req.param('id'));
    const cdr = Number.isSafeInteger(id) && id > 0 ? cdrs.get(id) : undefined;
    if (!cdr) throw new ApiError(404, `no call record ${c.req.param('id')}`);
    return c.json({ cdr: cdrJson(cdr) });
  });
  return app;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function registrationJson(r: LocatedContact) {
  return {
    aor: r.aor,
    contact: r.uri,
    q: r.q,
    expires: iso(r.expiresAt),
    source: r.source,
    behindNat: r.behindNat,
    reachable: r.reachable ?? null,
    userAgent: r.userAgent,
    registeredAt: iso(r.registeredAt),
  };
}

export function cdrJson(c: Cdr) {
  return {
    id: c.id,
    callId: c.callId,
    caller: c.caller,
    callee: c.callee,
    startedAt: iso(c.startedAt),
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    outcome: c.outcome,
    sipCode: c.sipCode,
    reason: c.reason,
  };
}
