// What a simulated call meets: who answers, what the caller presses and when they hang up, and
// the date. A zod schema, so the same scenarios can come from JSON files (`pbx dialplan test`).
import { z } from 'zod';

const dtmf = z.string().regex(/^[0-9*#]*$/, 'DTMF keys only (0-9 * #)');

export const endpointSchema = z.union([
  z.enum(['answer', 'busy', 'no-answer', 'unavailable', 'decline']),
  z
    .object({
      /** Seconds of ringing before the endpoint answers. */
      answerAfter: z.number().min(0),
      /** Seconds of talk once bridged. */
      talk: z.number().min(0).optional(),
      /** Who ends the bridge; 'caller' means the caller hangs up then. */
      endedBy: z.enum(['caller', 'callee']).optional(),
      /** For confirm-by-keypress targets: false = the far end (say, a mobile's voicemail) never presses. */
      confirms: z.boolean().optional(),
    })
    .strict(),
]);

export const scenarioSchema = z
  .object({
    call: z
      .object({
        to: z.string().min(1),
        from: z.string().optional(),
        fromName: z.string().optional(),
        direction: z.enum(['internal', 'inbound', 'outbound']).optional(),
        headers: z.record(z.string()).optional(),
        id: z.string().optional(),
      })
      .strict(),
    /** Start time, ISO 8601 with offset; default 2025-01-06T10:00:00Z (a Monday). */
    at: z.string().datetime({ offset: true }).optional(),
    /** Keyed by extension, user, number or SIP URI; unlisted targets are unavailable (480). */
    endpoints: z.record(endpointSchema).optional(),
    caller: z
      .object({
        /** One entry per collect (menu attempt, PIN try, ...): the keys pressed, or null for none. */
        dtmf: z.array(dtmf.nullable()).optional(),
        /** Seconds after the start at which the caller hangs up. */
        hangupAfter: z.number().min(0).optional(),
      })
      .strict()
      .optional(),
    conferences: z
      .record(
        z
          .object({
            full: z.boolean().optional(),
            seconds: z.number().min(0).optional(),
            endedBy: z.enum(['caller', 'moderator', 'empty']).optional(),
          })
          .strict(),
      )
      .optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export type Scenario = z.input<typeof scenarioSchema>;
export type EndpointBehavior = z.infer<typeof endpointSchema>;

export interface SimConfig {
  domain: string;
  /** The voicemail service the call is retargeted to (RFC 4458). */
  voicemailUri: string;
  /** Virtual seconds per prompt played. */
  promptSeconds: number;
  /** Virtual seconds per key pressed. */
  digitSeconds: number;
  /** Ringing before an endpoint with plain 'answer' picks up. */
  answerSeconds: number;
  talkSeconds: number;
  conferenceSeconds: number;
}

export const DEFAULT_SIM_CONFIG: SimConfig = {
  domain: 'pbx.local',
  voicemailUri: 'sip:voicemail@vm.pbx.local',
  promptSeconds: 2,
  digitSeconds: 0.5,
  answerSeconds: 3,
  talkSeconds: 30,
  conferenceSeconds: 60,
};

export const DEFAULT_START = '2025-01-06T10:00:00Z';
