/**
 * @module Twilio settings: the schema of one `providers` entry of type `twilio`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */

import { z } from 'zod'
import type { Channel } from '../../channels/channel.js'

const TWILIO_CHANNELS = ['sms', 'call', 'whatsapp'] as const satisfies readonly Channel[]

/** Twilio settings; one entry of the `providers` list in the config file. */
export const TwilioConfigSchema = z
  .object({
    type: z.literal('twilio'),
    /** Unique provider id (several Twilio accounts may be configured). @default 'twilio' */
    id: z.string().min(1).default('twilio'),
    /** `AC` + 32 hex; always the path segment, even when authenticating with an API key. */
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID (AC + 32 hex digits)'),
    /** Signs status callbacks, and authenticates requests unless an API key is given. */
    authToken: z.string().min(1),
    /** Optional API key (`SK...`) used instead of the auth token for REST calls. */
    apiKeySid: z
      .string()
      .regex(/^SK[0-9a-fA-F]{32}$/, 'expected an API key SID (SK + 32 hex digits)')
      .optional(),
    apiKeySecret: z.string().min(1).optional(),
    /** API origin; tests point it at a local mock. @default 'https://api.twilio.com' */
    baseUrl: z.url().default('https://api.twilio.com'),
    /** Default SMS sender: a Twilio number, short code or alphanumeric sender ID. */
    from: z.string().min(1).optional(),
    /** `MG...`; used when no `from` is known, so Twilio picks a sender from the pool. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex digits)')
      .optional(),
    /** WhatsApp sender (E.164, without the `whatsapp:` prefix). @default from */
    whatsappFrom: z.string().min(1).optional(),
    /** Caller ID for voice codes; must be a voice-capable Twilio or verified number. @default from */
    callFrom: z.string().min(1).optional(),
    /** Public URL of our receipt webhook for this provider, sent as `StatusCallback` with every message and call. */
    statusCallbackUrl: z.url().optional(),
    /** Seconds a message may wait in Twilio's queue (1-14400); a late code is useless, so keep it short. */
    validityPeriodSeconds: z.number().int().min(1).max(14_400).optional(),
    /** Seconds a voice call rings before Twilio gives up. */
    callTimeoutSeconds: z.number().int().min(5).max(600).optional(),
    /** TTS voice for `<Say>` (e.g. `Polly.Joanna`); Twilio's default voice when absent. */
    voice: z.string().min(1).optional(),
    /** @default ['sms', 'call', 'whatsapp'] */
    channels: z
      .array(z.enum(TWILIO_CHANNELS))
      .min(1)
      .default([...TWILIO_CHANNELS]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.apiKeySid === undefined) !== (c.apiKeySecret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKeySecret'],
        message: 'apiKeySid and apiKeySecret go together',
      })
    }
    if (c.channels.includes('sms') && !c.from && !c.messagingServiceSid) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'sms needs a default from or a messagingServiceSid',
      })
    }
    if (c.channels.includes('call') && !c.callFrom && !c.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['callFrom'],
        message: 'call needs callFrom (or from) set to a voice-capable number',
      })
    }
    if (c.channels.includes('whatsapp') && !c.whatsappFrom && !c.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['whatsappFrom'],
        message: 'whatsapp needs whatsappFrom (or from)',
      })
    }
  })

/** Validated Twilio settings, defaults applied. */
export type TwilioConfig = z.output<typeof TwilioConfigSchema>
