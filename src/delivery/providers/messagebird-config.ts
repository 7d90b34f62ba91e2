/**
 * @module MessageBird settings: the schema of one `providers` entry of type `messagebird`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** MessageBird settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const MessagebirdConfigSchema = z
  .object({
    type: z.literal('messagebird'),
    /** @default 'messagebird' */
    id: z.string().min(1).default('messagebird'),
    /** Live access key, sent as `Authorization: AccessKey <key>`. */
    accessKey: z.string().min(1),
    /** @default 'https://rest.messagebird.com' */
    baseUrl: z.url().default('https://rest.messagebird.com'),
    /** Default originator (number or alphanumeric, at most 11 characters) when the route names none. */
    from: z.string().min(1).optional(),
    /** Public URL of our receipt webhook; sent as each message's `reportUrl`. */
    reportUrl: z.url().optional(),
    /** The account's webhook signing key; verifies `MessageBird-Signature-JWT`. Required with `reportUrl`. */
    signingKey: z.string().min(1).optional(),
    /** Seconds MessageBird keeps trying (`validity`); absent = MessageBird's default. */
    validitySeconds: z.number().int().min(1).optional(),
    /** @default 'auto' */
    datacoding: z.enum(['plain', 'unicode', 'auto']).default('auto'),
    /** Clock skew allowed on the JWT's `iat`/`nbf`/`exp`, as MessageBird's own SDK does. @default 5 */
    clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
    /** @default ['sms'] */
    channels: z
      .array(z.enum(['sms']))
      .min(1)
      .default(['sms']),
  })
  .strict()
  .refine((c) => c.reportUrl === undefined || c.signingKey !== undefined, {
    message: 'signingKey is required with reportUrl, to verify MessageBird-Signature-JWT',
    path: ['signingKey'],
  })

/** Validated MessageBird settings, defaults applied. */
export type MessagebirdConfig = z.output<typeof MessagebirdConfigSchema>
