/**
 * @module The `lookup` config section: which carrier lookup provider answers before a first send,
 * how long its answers are cached per number, and how long a send waits for it.
 */
import { z } from 'zod'

const TwilioLookupSchema = z
  .object({
    type: z.literal('twilio'),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits'),
    authToken: z.string().min(1),
    /** @default 'https://lookups.twilio.com' */
    baseUrl: z.url().default('https://lookups.twilio.com'),
    /** Ask for `sim_swap` too (a separately priced package Twilio enables per account). @default true */
    simSwap: z.boolean().default(true),
  })
  .strict()

const VonageInsightSchema = z
  .object({
    type: z.literal('vonage'),
    apiKey: z.string().min(1),
    apiSecret: z.string().min(1),
    /** @default 'https://api.nexmo.com' */
    baseUrl: z.url().default('https://api.nexmo.com'),
  })
  .strict()

/** The carrier simulator answers for its test numbers (development and tests only). */
const SimulatorLookupSchema = z.object({ type: z.literal('simulator') }).strict()

export const LookupConfigSchema = z
  .object({
    /** Absent: no lookup; line-type and SIM-swap policies then have nothing to act on. */
    provider: z
      .discriminatedUnion('type', [TwilioLookupSchema, VonageInsightSchema, SimulatorLookupSchema])
      .optional(),
    /** How long an answer is reused for the same number. @default 86400 (a day) */
    cacheTtlSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(86_400),
    /** How long a first send waits for the lookup before going ahead without it. @default 1500 */
    timeoutMs: z.number().int().min(50).max(10_000).default(1500),
  })
  .strict()

export type LookupConfig = z.output<typeof LookupConfigSchema>
export type LookupProviderConfig = NonNullable<LookupConfig['provider']>
