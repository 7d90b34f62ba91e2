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
    /**
     * Sends one worker works on at once; due sends beyond it wait for the next drain. Keeps a burst
     * (a backlog after a restart) from queueing more database work than the pool can serve in its
     * connect timeout, which would fail sends halfway.
     */
    concurrency: z.number().int().min(1).max(10_000).default(50),
    /** A claimed message not finished within this time is claimed again (crash recovery). */
    leaseMs: z.number().int().min(1000).default(30_000),
    sendTimeoutMs: z.number().int().min(100).default(10_000),
    /**
     * No longer limits anything: while providers are down a message is retried, with capped
     * backoff, for its code's whole life (docs/delivery.md). Accepted so older settings still load.
     * @deprecated
     */
    maxAttempts: z.number().int().min(1).default(5),
    /** First wait before another round through every route and channel; doubles per round. */
    backoffBaseMs: z.number().int().min(1).default(500),
    /** The longest wait between rounds (a provider's Retry-After may ask for longer). */
    backoffMaxMs: z.number().int().min(1).default(30_000),
    /**
     * A throttled route (HTTP 429 or its throttle code) is tried again this many times, after its
     * Retry-After, before the message moves to the next route or channel.
     */
    throttleRetries: z.number().int().min(0).max(10).default(2),
    /** A Retry-After longer than this moves the message to the next route instead of waiting. */
    throttleMaxWaitMs: z.number().int().min(0).default(10_000),
  })
  .strict()
  .prefault({})

export type DispatcherConfig = z.output<typeof DispatcherConfigSchema>
