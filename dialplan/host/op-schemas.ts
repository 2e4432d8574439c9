// Argument schemas for every operation that crosses the sandbox boundary. The isolate is untrusted:
// the bridge parses each request with these before the host sees it, so the CallHost only ever gets
// well-formed, bounded arguments (and the SDK never has to be trusted to have validated them).
import { z } from 'zod';

const text = (max: number) => z.string().max(max);
const seconds = (max: number) => z.number().finite().min(0).max(max);

export const promptSchema = z.union([
  text(500),
  z.object({ file: text(500) }).strict(),
  z.object({ tts: text(4000), voice: text(100).optional() }).strict(),
  z.object({ say: z.enum(['digits', 'number', 'date']), value: z.union([text(100), z.number().finite()]) }).strict(),
]);
const prompts = z.array(promptSchema).max(20);
const confirm = promptSchema.optional();

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), user: text(100).min(1), timeout: seconds(600).optional() }).strict(),
  z
    .object({
      kind: z.literal('uri'),
      uri: text(500).regex(/^sips?:/, 'must be a sip: or sips: URI'),
      timeout: seconds(600).optional(),
      confirm,
      headers: z.record(text(2000)).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('number'),
      number: text(40).regex(/^\+?[0-9*#]+$/, 'must be digits with an optional leading +'),
      trunk: text(100).optional(),
      timeout: seconds(600).optional(),
      confirm,
    })
    .strict(),
]);

const empty = z.object({}).strict();
const voicemailCause = z.union([z.literal(302), z.literal(404), z.literal(408), z.literal(480), z.literal(486), z.literal(487), z.literal(503)]);
const rejectCode = z.union([z.literal(403), z.literal(404), z.literal(480), z.literal(486), z.literal(503), z.literal(603)]);

/** Operations a dialplan may request. */
export const sandboxOpSchemas = {
  answer: empty,
  ring: z.object({ earlyMedia: z.boolean() }).strict(),
  play: z.object({ prompts: prompts.min(1), bargeIn: z.boolean() }).strict(),
  collect: z
    .object({
      prompts,
      max: z.number().int().min(1).max(64),
      min: z.number().int().min(0).max(64),
      timeout: seconds(300),
      interDigitTimeout: seconds(300),
      terminators: text(12).regex(/^[0-9*#]*$/, 'must be DTMF keys'),
    })
    .strict(),
  dial: z
    .object({
      targets: z.array(targetSchema).min(1).max(50),
      strategy: z.enum(['parallel', 'sequential']),
      timeout: seconds(600),
      ringback: z.union([z.literal('ring'), z.object({ music: text(200) }).strict()]),
      callerId: z.object({ number: text(40).optional(), name: text(100).optional() }).strict().nullable(),
      holdMusic: z.union([text(200), z.literal(false)]),
      maxDuration: seconds(86_400).nullable(),
    })
    .strict(),
  conference: z
    .object({
      room: text(100).min(1),
      moderator: z.boolean(),
      muted: z.boolean(),
      waitMusic: text(200).nullable(),
      maxMembers: z.number().int().min(1).max(1000).nullable(),
      endWhenModeratorLeaves: z.boolean(),
    })
    .strict(),
  hold: z.object({ music: text(200).nullable() }).strict(),
  unhold: empty,
  sleep: z.object({ seconds: seconds(3600) }).strict(),
  log: z.object({ level: z.enum(['info', 'warn', 'error']), msg: text(4000), data: z.record(z.unknown()).nullable() }).strict(),
  setVar: z.object({ name: text(100).min(1), value: text(4000) }).strict(),
  voicemail: z.object({ mailbox: text(100).min(1), cause: voicemailCause.nullable() }).strict(),
  transfer: z.object({ target: targetSchema }).strict(),
  reject: z.object({ code: rejectCode, reason: text(200).nullable() }).strict(),
  hangup: empty,
} as const;

/** Issued by the runtime itself (never by a dialplan) when a call's dialplan cannot finish it. */
export const fallbackSchema = z
  .object({
    reason: z.enum(['timedOut', 'disposed', 'error']),
    message: z.string(),
    /** SIP status for a call that was not answered yet. */
    beforeAnswer: z.number().int().min(400).max(699),
    /** For an answered call: keep a running bridge until it ends, or hang up at once. */
    afterAnswer: z.enum(['keep-bridge', 'hangup']),
  })
  .strict();

export type SandboxOpName = keyof typeof sandboxOpSchemas;
export const SANDBOX_OPS = Object.keys(sandboxOpSchemas) as SandboxOpName[];
export function isSandboxOp(op: unknown): op is SandboxOpName {
  return typeof op === 'string' && Object.hasOwn(sandboxOpSchemas, op);
}
