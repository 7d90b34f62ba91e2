/**
 * @module How the outbox dispatcher polls, leases, times out and backs off. Declared beside the module
 * it configures; `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

export const DispatcherConfigSchema = z
  .object({
    /** How often the outbox is polled for due messages (new messages are sent at once). */
    pollIntervalMs: z.number().int().min(10).default(500),
    batchSize: z.number().int().min(1).max(1000).default(100),
    /** A claimed message not finished within this time is claimed again (crash recovery). */
    leaseMs: z.number().int().min(1000).default(30_000),
    sendTimeoutMs: z.number().int().min(100).default(10_000),
    /** Submit attempts per message before it is marked failed. */
    maxAttempts: z.number().int().min(1).default(5),
    backoffBaseMs: z.number().int().min(1).default(500),
    backoffMaxMs: z.number().int().min(1).default(30_000),
  })
  .strict()
  .prefault({})

export type DispatcherConfig = z.output<typeof DispatcherConfigSchema>
