/**
 * @module Infobip settings: the schema of one `providers` entry of type `infobip`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** Infobip settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const InfobipConfigSchema = z
  .object({
    type: z.literal('infobip'),
    /** @default 'infobip' */
    id: z.string().min(1).default('infobip'),
    /** API key, sent as `Authorization: App <key>`. */
    apiKey: z.string().min(1),
    /** The account's personal base URL (`https://<subdomain>.api.infobip.com`). @default 'https://api.infobip.com' */
    baseUrl: z.url().default('https://api.infobip.com'),
    /** Default sender (alphanumeric ID or number) when the route names none. */
    from: z.string().min(1).optional(),
    /** Public URL of our receipt webhook; sent as each message's `notifyUrl`. Without it Infobip pushes no reports. */
    notifyUrl: z.url().optional(),
    /**
     * Infobip documents no signature for SMS reports, so receipts are authenticated by a secret token we
     * add to `notifyUrl` ourselves and check on the way back. Required with `notifyUrl`.
     */
    receiptSecret: z.string().min(16).optional(),
    /** Query parameter carrying `receiptSecret`. @default 'token' */
    receiptSecretParam: z.string().min(1).default('token'),
    /** Minutes Infobip keeps retrying the handset; absent = the account default. */
    validityPeriodMinutes: z.number().int().min(1).max(2880).optional(),
    /** @default ['sms'] */
    channels: z
      .array(z.enum(['sms']))
      .min(1)
      .default(['sms']),
  })
  .strict()
  .refine((c) => c.notifyUrl === undefined || c.receiptSecret !== undefined, {
    message: 'receiptSecret is required with notifyUrl: Infobip does not sign delivery reports',
    path: ['receiptSecret'],
  })

/** Validated Infobip settings, defaults applied. */
export type InfobipConfig = z.output<typeof InfobipConfigSchema>
