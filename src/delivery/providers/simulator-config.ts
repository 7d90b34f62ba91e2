/**
 * @module Carrier simulator settings: the schema of one extra `providers` entry of type `simulator`
 * (the built-in one is configured under `simulator`). The simulator itself lives in src/simulator/.
 */
import { z } from 'zod'
import { CHANNELS } from '../../channels/channel.js'

/** An extra carrier simulator instance (the built-in one is `simulator`); handy for failover drills. */
export const SimulatorProviderConfigSchema = z
  .object({
    type: z.literal('simulator'),
    id: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9_-]+$/),
    channels: z
      .array(z.enum(CHANNELS))
      .min(1)
      .default([...CHANNELS]),
    /** Every submit fails with 503, as if this provider were down. */
    outage: z.boolean().default(false),
    /** Every message accepted here is then blocked by the carrier (failed receipt). */
    carrierBlocks: z.boolean().default(false),
    /** Accepts messages but never sends a receipt (for receipt-timeout drills). */
    silent: z.boolean().default(false),
  })
  .strict()

/** Validated simulator instance settings, defaults applied. */
export type SimulatorProviderConfig = z.output<typeof SimulatorProviderConfigSchema>
