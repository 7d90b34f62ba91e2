/**
 * @module Telnyx settings: the schema of one `providers` entry of type `telnyx`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */

import { z } from 'zod'
import type { Channel } from '../../channels/channel.js'

const TELNYX_CHANNELS = ['sms'] as const satisfies readonly Channel[]

/** Telnyx settings; one entry of the `providers` list in the config file. */
export const TelnyxConfigSchema = z
  .object({
    type: z.literal('telnyx'),
    /** @default 'telnyx' */
    id: z.string().min(1).default('telnyx'),
    /** API v2 key, sent as `Authorization: Bearer`. */
    apiKey: z.string().min(1),
    /**
     * The account's Ed25519 public key (base64 of the 32 raw bytes, from the portal). Without it
     * webhooks cannot be verified, so the provider exposes no receipt webhook.
     */
    publicKey: z
      .string()
      .refine(
        (k) => Buffer.from(k, 'base64').length === 32,
        'expected the base64 of a 32-byte Ed25519 public key',
      )
      .optional(),
    /** @default 'https://api.telnyx.com' */
    baseUrl: z.url().default('https://api.telnyx.com'),
    /** Default sender: E.164 number, short code, or alphanumeric sender ID (which also needs the profile). */
    from: z.string().min(1).optional(),
    /** Messaging profile; without a `from`, messages go out through its number pool. */
    messagingProfileId: z.string().min(1).optional(),
    /** Public URL of our receipt webhook, sent as the per-message `webhook_url`. */
    webhookUrl: z.url().optional(),
    webhookFailoverUrl: z.url().optional(),
    /** Webhooks whose `telnyx-timestamp` is further from now are refused (replay protection). @default 300 */
    signatureToleranceSeconds: z.number().int().min(1).default(300),
    /** @default ['sms'] */
    channels: z.array(z.enum(TELNYX_CHANNELS)).min(1).default(['sms']),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.from && !c.messagingProfileId) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'needs a default from or a messagingProfileId (number pool)',
      })
    }
  })

/** Validated Telnyx settings, defaults applied. */
export type TelnyxConfig = z.output<typeof TelnyxConfigSchema>
