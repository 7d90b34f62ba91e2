/**
 * @module Settings of the V8 heap that decide how often the old generation is collected
 * (src/health/heap-growth.ts, docs/operations.md "Memory and garbage collection").
 */
import { z } from 'zod'

export const HeapConfigSchema = z
  .object({
    /**
     * How far the old generation may grow past what the last full collection left, in per cent,
     * before V8 starts the next one. 200: to three times the live heap. 0: V8's own choice (1.1-1.7
     * times under verigate's load), which makes a full collection, and the stall around it,
     * every 5-7 s at 900 flows/s. Higher trades memory for rarer stalls; lower, the reverse.
     * @default 200
     */
    growthPercent: z.number().int().min(0).max(400).default(200),
  })
  .strict()
  .default({ growthPercent: 200 })

export type HeapConfig = z.output<typeof HeapConfigSchema>
