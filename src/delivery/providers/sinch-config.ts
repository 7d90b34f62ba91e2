/**
 * @module Sinch settings: the schema of one `providers` entry of type `sinch`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** Sinch settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const SinchConfigSchema = z
  .object({
    type: z.literal('sinch'),
    /** @default 'sinch' */
    id: z.string().min(1).default('sinch'),
    /** Service plan id, the `{service_plan_id}` path segment. */
    servicePlanId: z.string().min(1),
    /** API token, sent as `Authorization: Bearer <token>`. */
    apiToken: z.string().min(1),
    /** Regional origin; must match the account's region (`us`, `eu`, `au`, `br`, `ca`). @default 'https://us.sms.api.sinch.com' */
    baseUrl: z.url().default('https://us.sms.api.sinch.com'),
    /** Default originator when the route names none (Sinch may also have one configured on the plan). */
    from: z.string().min(1).optional(),
    /** Public URL of our receipt webhook; sent as each batch's `callback_url`. */
    callbackUrl: z.url().optional(),
    /** `per_recipient` also reports the intermediate `Dispatched`; `per_recipient_final` only the outcome. @default 'per_recipient' */
    deliveryReport: z.enum(['per_recipient', 'per_recipient_final']).default('per_recipient'),
    /**
     * HMAC secret Sinch signs callbacks with (enabled on the service plan by the account manager):
     * `x-sinch-webhook-signature` = base64 HMAC(secret, `body.nonce.timestamp`).
     */
    callbackSecret: z.string().min(1).optional(),
    /** Without HMAC signing, a secret token we add to `callbackUrl` and check on the way back. */
    callbackToken: z.string().min(16).optional(),
    /** Query parameter carrying `callbackToken`. @default 'token' */
    callbackTokenParam: z.string().min(1).default('token'),
    /** Largest accepted age of a signed callback, against replays. @default 300 */
    signatureToleranceSeconds: z.number().int().min(1).default(300),
    /** Seconds after which Sinch stops trying (`expire_at`); a late code is useless. Absent = Sinch's default (3 days). */
    expireAfterSeconds: z.number().int().min(60).optional(),
    /** @default ['sms'] */
    channels: z
      .array(z.enum(['sms']))
      .min(1)
      .default(['sms']),
  })
  .strict()
  .refine(
    (c) => c.callbackUrl === undefined || c.callbackSecret !== undefined || c.callbackToken !== undefined,
    {
      message: 'callbackUrl needs callbackSecret (HMAC) or callbackToken to authenticate delivery reports',
      path: ['callbackSecret'],
    },
  )

/** Validated Sinch settings, defaults applied. */
export type SinchConfig = z.output<typeof SinchConfigSchema>
