// Reading and validating a JSON request body against a zod schema: 400 with the field problems.
import type { Context } from 'hono';
import type { z } from 'zod';
import { describeIssues } from '../users/user-input.ts';
import { ApiError } from './errors.ts';

export async function jsonBody<S extends z.ZodTypeAny>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ApiError(400, 'body must be JSON');
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new ApiError(400, 'invalid request body', describeIssues(r.error));
  return r.data as z.infer<S>;
}
