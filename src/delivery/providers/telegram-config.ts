/**
 * @module Telegram Gateway settings: the schema of one `providers` entry of type `telegram`. Kept
 * apart from the adapter so that validating the config loads no adapter.
 */
import { z } from 'zod'

/** Telegram Gateway API settings; one entry of the `providers` list (unknown keys are errors). */
export const TelegramConfigSchema = z
  .object({
    type: z.literal('telegram'),
    /** @default 'telegram' */
    id: z.string().min(1).default('telegram'),
    /** The Gateway API token (gateway.telegram.org, account settings), sent as `Authorization: Bearer`. Also the key of report signatures. */
    accessToken: z.string().min(1),
    /** @default 'https://gatewayapi.telegram.org' */
    baseUrl: z.url().default('https://gatewayapi.telegram.org'),
    /** Verified Telegram channel the code is sent from (`sender_username`); Telegram's own sender when absent. */
    senderUsername: z.string().min(1).optional(),
    /**
     * Delivery report URL, sent as each message's `callback_url`: `<publicUrl>/v1/receipts/<id>`.
     * Without it Telegram sends no reports, and the hand-over is the last word. The reference wants an
     * HTTPS URL of at most 256 bytes; http is accepted only for a loopback host (local tests).
     */
    callbackUrl: z
      .url()
      .refine((u) => Buffer.byteLength(u) <= 256, 'The Gateway takes a callback_url of at most 256 bytes')
      .refine(
        (u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u),
        'The Gateway posts reports only to an HTTPS callback_url (plain http is accepted for loopback tests)',
      )
      .optional(),
    /** Reports whose `X-Request-Timestamp` is further from now are refused (replays). @default 300 */
    signatureToleranceSeconds: z.number().int().min(1).max(86_400).default(300),
    /** @default ['telegram'] */
    channels: z
      .array(z.enum(['telegram']))
      .min(1)
      .default(['telegram']),
  })
  .strict()

/** Validated Telegram Gateway settings, defaults applied. */
export type TelegramConfig = z.output<typeof TelegramConfigSchema>
