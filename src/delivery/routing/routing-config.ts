/**
 * @module Routing: which providers carry which channel to which countries, with which sender IDs, and
 * when a route counts as unhealthy. Declared beside the module it configures; `src/config/schema.ts`
 * composes every module's schema into the one config.
 */
import { z } from 'zod'
import { CHANNELS } from '../../channels/channel.js'

export const RoutingConfigSchema = z
  .object({
    /**
     * Ordered routes. For a message, the routes of its channel that list its country (or `*`)
     * are tried in order. Empty: every provider in `providers` order, then the simulator.
     */
    routes: z
      .array(
        z
          .object({
            provider: z.string().min(1),
            channel: z.enum(CHANNELS).default('sms'),
            /** ISO 3166 alpha-2 codes, or `*` for any country. */
            countries: z
              .array(z.string().regex(/^([A-Z]{2}|\*)$/))
              .min(1)
              .default(['*']),
            /** Sender ID, number or address; overridden per country by `senderIds`. */
            from: z.string().min(1).optional(),
            /** Per-country sender IDs (data, not code): `{ "GB": "ACME", "US": "+15005550006" }`. */
            senderIds: z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1)).default({}),
            /**
             * Countries (or `*`) where SMS on this route go out under the service's brand as an
             * alphanumeric sender ID ("Acme"), where the country's networks accept one and the
             * provider account may use it. A per-country `senderIds` entry still wins. Default: none
             * for providers, every such country for the built-in simulator.
             */
            brandSender: z.array(z.string().regex(/^([A-Z]{2}|\*)$/)).optional(),
            /**
             * Whole units charged against the service's daily spend cap per message (the cap is a
             * counter of whole points: a fraction would make every send on the route throw).
             */
            cost: z.number().int().min(0).default(1),
          })
          .strict(),
      )
      .default([]),
    /**
     * No receipt within this time: the hand-over is unconfirmed (not failed, it stays open) and the
     * same code goes out on the next route or channel (docs/delivery.md).
     */
    receiptTimeoutMs: z.number().int().min(100).default(20_000),
    /**
     * Hand-overs to providers (paid messages, on any route or channel) per message before it is
     * given up. Refused submits do not count: while providers are down a message is retried for its
     * code's life.
     */
    maxHops: z.number().int().min(1).max(50).default(8),
    /** Spend units per service per day across all messages (run-away cost stop). */
    spendCapPerServicePerDay: z.number().int().min(1).default(100_000),
    health: z
      .object({
        windowMs: z.number().int().min(1000).default(60_000),
        minSamples: z.number().int().min(1).default(5),
        /** Failure share in the window that opens the circuit. */
        failureRate: z.number().min(0).max(1).default(0.5),
        /** How long an open circuit keeps the route out before one probe is let through. */
        openMs: z.number().int().min(100).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})

export type RoutingConfig = z.output<typeof RoutingConfigSchema>
export type RouteConfig = RoutingConfig['routes'][number]
