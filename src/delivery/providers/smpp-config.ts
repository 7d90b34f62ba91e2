/**
 * @module SMPP settings: the schema of one `providers` entry of type `smpp`. Kept apart from the
 * adapter so that validating the config loads no adapter and none of their libraries.
 */
import { z } from 'zod'

/** Configuration of one SMPP connection. Every default is here; unknown keys are errors. */
export const SmppConfigSchema = z
  .object({
    type: z.literal('smpp'),
    /** Provider instance id, unique across providers (receipts are matched on it). @default 'smpp' */
    id: z.string().min(1).default('smpp'),
    host: z.string().min(1),
    /** @default 2775 */
    port: z.number().int().min(1).max(65535).default(2775),
    /** bind `system_id` (SMPP 3.4: at most 15 characters). */
    systemId: z.string().min(1).max(15),
    /** bind `password` (SMPP 3.4: at most 8 characters). */
    password: z.string().max(8),
    /** bind `system_type`; many SMSCs want it empty. @default '' */
    systemType: z.string().max(12).default(''),
    /** Default sender when the route names none: alphanumeric (≤ 11), `+` international number, or short code. */
    from: z.string().min(1).max(20),
    /** Overrides the source TON picked from the sender's shape (5 alphanumeric, 1 international, 3 short code). */
    sourceAddrTon: z.number().int().min(0).max(6).optional(),
    /** Overrides the source NPI picked from the sender's shape (0 alphanumeric and short code, 1 international). */
    sourceAddrNpi: z.number().int().min(0).max(18).optional(),
    /** enquire_link period on an idle-or-busy session. @default 30000 */
    enquireLinkMs: z.number().int().min(100).default(30_000),
    /** An enquire_link unanswered this long means the link is dead: drop it and rebind. @default 10000 */
    enquireLinkTimeoutMs: z.number().int().min(100).default(10_000),
    /** TCP connect plus bind must finish within this. @default 10000 */
    connectTimeoutMs: z.number().int().min(100).default(10_000),
    /** First reconnect delay; doubles per failed attempt (with jitter) up to `reconnectMaxMs`. @default 1000 */
    reconnectInitialMs: z.number().int().min(10).default(1000),
    /** @default 30000 */
    reconnectMaxMs: z.number().int().min(10).default(30_000),
    /**
     * Budget for one `send`: waiting for the bind when the session is down, plus every submit_sm_resp.
     * Past it the send fails as retryable TIMEOUT. @default 10000
     */
    submitTimeoutMs: z.number().int().min(100).default(10_000),
    /** Relative validity_period: the SMSC drops the message after this, so a stale code never arrives late. */
    validitySeconds: z
      .number()
      .int()
      .min(60)
      .max(99 * 86_400)
      .optional(),
    /** How texts longer than one SMS are sent. @default 'udh' */
    longMessages: z.enum(['udh', 'payload']).default('udh'),
    /** @default ['sms'] */
    channels: z.array(z.literal('sms')).min(1).default(['sms']),
  })
  .strict()

export type SmppConfig = z.output<typeof SmppConfigSchema>
