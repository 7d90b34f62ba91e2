/**
 * @module Vonage (Nexmo) settings: the schema of one `providers` entry of type `vonage`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */

import { z } from 'zod'
import type { Channel } from '../../channels/channel.js'

const VONAGE_CHANNELS = ['sms', 'call'] as const satisfies readonly Channel[]

/** Hash used for the SMS API `sig` parameter, as chosen in the Vonage dashboard. */
export const VONAGE_SIGNATURE_METHODS = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'] as const
/** One of `VONAGE_SIGNATURE_METHODS`. */
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number]

/** Vonage settings; one entry of the `providers` list in the config file. */
export const VonageConfigSchema = z
  .object({
    type: z.literal('vonage'),
    /** @default 'vonage' */
    id: z.string().min(1).default('vonage'),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    /**
     * The account's signature secret (not the API secret). Without it receipts cannot be verified,
     * so the provider exposes no receipt webhook and relies on submit results only.
     */
    signatureSecret: z.string().min(1).optional(),
    /** @default 'md5hash' */
    signatureMethod: z.enum(VONAGE_SIGNATURE_METHODS).default('md5hash'),
    /** Voice application id; required for the call channel. */
    applicationId: z.string().min(1).optional(),
    /** The application's RSA private key (PEM; `\n` escapes are accepted); required for the call channel. */
    privateKey: z.string().min(1).optional(),
    /** SMS API origin. @default 'https://rest.nexmo.com' */
    baseUrl: z.url().default('https://rest.nexmo.com'),
    /** Voice API origin. @default 'https://api.nexmo.com' */
    voiceBaseUrl: z.url().default('https://api.nexmo.com'),
    /** Default SMS sender: a number (E.164, `+` optional) or an alphanumeric sender ID. */
    from: z.string().min(1).optional(),
    /** Caller ID for voice codes: a Vonage number linked to the application. @default from */
    callFrom: z.string().min(1).optional(),
    /**
     * Public URL of our receipt webhook, sent as the per-message `callback`. Keep it free of a query
     * string when the dashboard delivers DLRs by GET: our own parameters would then sit among the
     * signed ones.
     */
    dlrUrl: z.url().optional(),
    /** Public URL for Voice events (`event_url`); usually the same receipt webhook. */
    eventUrl: z.url().optional(),
    /** How long Vonage keeps trying to deliver, in ms (20000-604800000). */
    ttlMs: z.number().int().min(20_000).max(604_800_000).optional(),
    /** Signed receipts older or newer than this are refused (replay protection). @default 300 */
    signatureToleranceSeconds: z.number().int().min(1).default(300),
    /** @default ['sms'] */
    channels: z.array(z.enum(VONAGE_CHANNELS)).min(1).default(['sms']),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.channels.includes('sms') && !c.from)
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'sms needs a default from' })
    if (c.channels.includes('call')) {
      if (!c.applicationId)
        ctx.addIssue({
          code: 'custom',
          path: ['applicationId'],
          message: 'call needs the Voice applicationId',
        })
      if (!c.privateKey)
        ctx.addIssue({
          code: 'custom',
          path: ['privateKey'],
          message: "call needs the application's privateKey",
        })
      if (!c.callFrom && !c.from)
        ctx.addIssue({ code: 'custom', path: ['callFrom'], message: 'call needs callFrom (or from)' })
    }
  })

/** Validated Vonage settings, defaults applied. */
export type VonageConfig = z.output<typeof VonageConfigSchema>
