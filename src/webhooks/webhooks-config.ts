/**
 * @module Retries, timeouts and polling of outbound webhooks. Declared beside the module it
 * configures; `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

export const WebhooksConfigSchema = z
  .object({
    /** POSTs per event before it is given up (recorded as failed). */
    maxAttempts: z.number().int().min(1).max(30).default(8),
    /** First retry delay; doubles per attempt (with jitter) up to `backoffMaxMs`. */
    backoffBaseMs: z.number().int().min(1).default(5_000),
    backoffMaxMs: z.number().int().min(1).default(3_600_000),
    /** An endpoint that has not answered within this time counts as a failed attempt. */
    timeoutMs: z.number().int().min(100).default(10_000),
    pollIntervalMs: z.number().int().min(10).default(1_000),
    /** A claimed delivery not finished within this time is claimed again (crash recovery). */
    leaseMs: z.number().int().min(1000).default(60_000),
    batchSize: z.number().int().min(1).max(1000).default(50),
    /**
     * Let endpoints be on loopback, private or link-local addresses. Unset: allowed outside
     * production (local development posts to localhost), refused in production (SSRF).
     */
    allowPrivateNetworks: z.boolean().optional(),
  })
  .strict()
  .prefault({})

export type WebhooksConfig = z.output<typeof WebhooksConfigSchema>
