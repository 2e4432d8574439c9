// /api/users: create, read, update and delete users. Secrets go in, never out.
import { Hono } from 'hono';
import { UserExistsError, type User } from '../store/users.ts';
import type { UserAdmin } from '../users/user-admin.ts';
import { extensionSchema, newUserSchema, userPatchSchema } from '../users/user-input.ts';
import { ApiError } from './errors.ts';
import { jsonBody } from './json-body.ts';

export function usersRoutes(admin: UserAdmin): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json({ users: admin.list().map(userJson) }));

  app.post('/', async (c) => {
    const input = await jsonBody(c, newUserSchema);
    try {
      const user = admin.add(input);
      return c.json({ user: userJson(user) }, 201, { Location: `/api/users/${user.extension}` });
    } catch (err) {
      if (err instanceof UserExistsError) throw new ApiError(409, err.message);
      throw err;
    }
  });

  app.get('/:ext', (c) => c.json({ user: userJson(found(admin.get(extensionParam(c.req.param('ext'))), c.req.param('ext'))) }));

  app.patch('/:ext', async (c) => {
    const ext = extensionParam(c.req.param('ext'));
    const patch = await jsonBody(c, userPatchSchema);
    return c.json({ user: userJson(found(admin.update(ext, patch), ext)) });
  });

  app.delete('/:ext', (c) => {
    const ext = extensionParam(c.req.param('ext'));
    if (!admin.remove(ext)) throw new ApiError(404, `no extension ${ext}`);
    return c.body(null, 204);
  });

  return app;
}

function extensionParam(raw: string): string {
  const r = extensionSchema.safeParse(raw);
  if (!r.success) throw new ApiError(400, `bad extension ${JSON.stringify(raw)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

function found(user: User | undefined, ext: string): User {
  if (!user) throw new ApiError(404, `no extension ${ext}`);
  return user;
}

export function userJson(u: User) {
  return {
    extension: u.extension,
    displayName: u.displayName,
    enabled: u.enabled,
    mayRegisterOthers: u.mayRegisterOthers,
    hasVoicemailPin: u.hasVoicemailPin,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
  };
}
