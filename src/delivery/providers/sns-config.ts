/**
 * @module AWS SNS settings: the schema of one `providers` entry of type `sns`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** AWS SNS settings; one entry of the `providers` list in the config file (unknown keys are errors). */
export const SnsConfigSchema = z
  .object({
    type: z.literal('sns'),
    /** @default 'sns' */
    id: z.string().min(1).default('sns'),
    /** AWS region that sends the SMS, e.g. `us-east-1`; part of the endpoint and of the signature scope. */
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as us-east-1'),
    accessKeyId: z.string().min(16),
    secretAccessKey: z.string().min(1),
    /** For temporary credentials (STS); sent as `X-Amz-Security-Token`. */
    sessionToken: z.string().min(1).optional(),
    /** @default `https://sns.<region>.amazonaws.com` */
    baseUrl: z.url().optional(),
    /** `Transactional` is the higher-reliability class AWS recommends for one-time codes. @default 'Transactional' */
    smsType: z.enum(['Transactional', 'Promotional']).default('Transactional'),
    /**
     * Default sender when the route names none: an alphanumeric sender ID (`AWS.SNS.SMS.SenderID`,
     * where the destination country supports it) or, when it starts with `+`, an origination number
     * (`AWS.MM.SMS.OriginationNumber`).
     */
    from: z.string().min(1).optional(),
    /** Highest price in USD you will pay per message (`AWS.SNS.SMS.MaxPrice`). */
    maxPriceUsd: z.number().positive().optional(),
    /** India DLT registration (`AWS.MM.SMS.EntityId` / `AWS.MM.SMS.TemplateId`). */
    entityId: z.string().min(1).optional(),
    templateId: z.string().min(1).optional(),
    /** @default ['sms'] */
    channels: z
      .array(z.enum(['sms']))
      .min(1)
      .default(['sms']),
  })
  .strict()

/** Validated AWS SNS settings, defaults applied. */
export type SnsConfig = z.output<typeof SnsConfigSchema>
