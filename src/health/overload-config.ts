/**
 * @module Settings of overload protection (src/http/overload.ts, @fastify/under-pressure): past a
 * threshold the server answers 503 `SERVER_OVERLOADED` with `Retry-After` instead of queueing work
 * it cannot finish in time, and `/readyz` says so, so a load balancer sends traffic elsewhere.
 */
import { z } from 'zod'

export const OverloadConfigSchema = z
  .object({
    /**
     * Mean event-loop delay over one sample above which requests are refused, in ms. 0: not checked.
     * @default 1000
     */
    maxEventLoopDelayMs: z.number().int().min(0).max(60_000).default(1000),
    /** V8 heap in use above which requests are refused, in bytes. 0: not checked. @default 0 */
    maxHeapUsedBytes: z.number().int().min(0).default(0),
    /** Resident set size above which requests are refused, in bytes. 0: not checked. @default 0 */
    maxRssBytes: z.number().int().min(0).default(0),
    /** How often the figures are sampled, in ms. @default 1000 */
    sampleIntervalMs: z.number().int().min(10).max(60_000).default(1000),
    /** The `Retry-After` of a refusal, in seconds. @default 10 */
    retryAfterSeconds: z.number().int().min(1).max(3600).default(10),
  })
  .strict()
  .default({
    maxEventLoopDelayMs: 1000,
    maxHeapUsedBytes: 0,
    maxRssBytes: 0,
    sampleIntervalMs: 1000,
    retryAfterSeconds: 10,
  })

export type OverloadConfig = z.output<typeof OverloadConfigSchema>
