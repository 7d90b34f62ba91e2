/**
 * @module Plivo settings: the schema of one `providers` entry of type `plivo`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */

import { z } from 'zod'
import type { Channel } from '../../channels/channel.js'

const PLIVO_CHANNELS = ['sms'] as const satisfies readonly Channel[]

/** Plivo settings; one entry of the `providers` list in the config file. */
export const PlivoConfigSchema = z
  .object({
    type: z.literal('plivo'),
    /** @default 'plivo' */
    id: z.string().min(1).default('plivo'),
    /** Basic auth user and the account segment of the API path. */
    authId: z.string().min(1),
    /** Basic auth password; also the key of callback signatures. */
    authToken: z.string().min(1),
    /** @default 'https://api.plivo.com' */
    baseUrl: z.url().default('https://api.plivo.com'),
    /** Default sender (`src`): a Plivo number or an alphanumeric sender ID. */
    from: z.string().min(1).optional(),
    /** Powerpack that picks the sender when no `from` is known. */
    powerpackUuid: z.string().min(1).optional(),
    /** Public URL of our receipt webhook, sent as the per-message `url` (POSTed, form-encoded). */
    statusCallbackUrl: z.url().optional(),
    /** Seconds Plivo keeps trying before the message expires (`message_expiry`); a late code is useless. */
    messageExpirySeconds: z.number().int().min(1).optional(),
    /** @default ['sms'] */
    channels: z.array(z.enum(PLIVO_CHANNELS)).min(1).default(['sms']),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.from && !c.powerpackUuid)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'needs a default from or a powerpackUuid' })
  })

/** Validated Plivo settings, defaults applied. */
export type PlivoConfig = z.output<typeof PlivoConfigSchema>
