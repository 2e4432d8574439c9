// The PBX's HTTP API on hono: /api/* behind the admin bearer token, JSON in and out.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../sip/util/logger.ts';
import type { LocationService } from '../location/location-service.ts';
import type { CdrStore } from '../store/cdr.ts';
import type { UserAdmin } from '../users/user-admin.ts';
import { requireBearer } from './bearer.ts';
import { ApiError, errorBody, onApiError } from './errors.ts';
import { cdrRoutes, registrationsRoutes } from './read-routes.ts';
import { usersRoutes } from './users-routes.ts';

export interface HttpAppOptions {
  admin: UserAdmin;
  location: LocationService;
  cdrs: CdrStore;
  adminToken: string;
  maxBodyBytes: number;
  log: Logger;
  /** The voicemail web pages and API (voicemail/web), routes under /voicemail. */
  voicemail?: Hono;
}

export function createHttpApp(opts: HttpAppOptions): Hono {
  const app = new Hono();
  app.onError(onApiError(opts.log));
  app.notFound((c) => c.json(errorBody(404, `no route ${c.req.method} ${c.req.path}`), 404));
  app.get('/health', (c) => c.json({ ok: true }));
  if (opts.voicemail) app.route('/', opts.voicemail);
  app.use('/api/*', requireBearer(opts.adminToken));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: opts.maxBodyBytes,
      onError: () => {
        throw new ApiError(413, `request body over ${opts.maxBodyBytes} bytes`);
      },
    }),
  );
  app.route('/api/users', usersRoutes(opts.admin));
  app.route('/api/registrations', registrationsRoutes(opts.location));
  app.route('/api/cdrs', cdrRoutes(opts.cdrs));
  return app;
}
