// What counts as a valid user, shared by the CLI and the HTTP API so both refuse the same input
// with the same words.
import { z } from 'zod';

export const extensionSchema = z.string().regex(/^[0-9]{2,15}$/, 'must be 2 to 15 digits');
export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');
export const displayNameSchema = z
  .string()
  .max(64, 'must be at most 64 characters')
  // It ends up quoted in From/Contact headers: no quotes, backslashes or control characters.
  .regex(/^[^"\\\x00-\x1f\x7f]*$/, 'must not contain quotes, backslashes or control characters');
export const pinSchema = z.string().regex(/^[0-9]{4,12}$/, 'must be 4 to 12 digits');

export const newUserSchema = z
  .object({
    extension: extensionSchema,
    password: passwordSchema,
    displayName: displayNameSchema.optional(),
    voicemailPin: pinSchema.optional(),
    enabled: z.boolean().optional(),
    mayRegisterOthers: z.boolean().optional(),
  })
  .strict();

export const userPatchSchema = z
  .object({
    password: passwordSchema.optional(),
    displayName: displayNameSchema.optional(),
    voicemailPin: pinSchema.nullable().optional(),
    enabled: z.boolean().optional(),
    mayRegisterOthers: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

/** "field: problem" lines, for the CLI and for JSON error bodies. */
export function describeIssues(err: z.ZodError): string[] {
  return err.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
}
