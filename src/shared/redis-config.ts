/**
 * @module Timeouts of the Redis connections (`redisUrl`): how long verigate waits for Redis before it
 * carries on without it (docs/operations.md). Declared beside the client it configures;
 * `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

export const RedisConfigSchema = z
  .object({
    /** Opening a connection, including Redis's answer to the first command. */
    connectTimeoutMs: z.number().int().min(100).default(5_000),
    /**
     * A command with no answer after this long fails; a limit check then falls back to this
     * instance's in-memory limiter (`commandTimeout`).
     */
    commandTimeoutMs: z.number().int().min(50).default(1_000),
    /** Longest wait between two reconnection attempts (they start at 100 ms and double). */
    reconnectMaxDelayMs: z.number().int().min(100).default(2_000),
    /** After a command timed out, how often a PING asks whether Redis answers again. */
    probeIntervalMs: z.number().int().min(50).default(1_000),
  })
  .strict()
  .prefault({})

export type RedisConfig = z.output<typeof RedisConfigSchema>
