/**
 * @module Analytics reports, their Prometheus gauges and rate-drop alerts. Declared beside the module
 * it configures; `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

export const AnalyticsConfigSchema = z
  .object({
    /** Duration rows read per report for p50/p90 (newest first); beyond it the percentiles describe the newest rows. */
    percentileSampleLimit: z.number().int().min(100).max(1_000_000).default(50_000),
    /** How long one computation of the rate gauges serves `/metrics` scrapes. */
    metricsCacheMs: z.number().int().min(0).max(600_000).default(30_000),
    alerts: z
      .object({
        /** Run the alert monitor in the worker role. */
        enabled: z.boolean().default(true),
        /** Time between checks. */
        intervalMs: z.number().int().min(1_000).default(60_000),
        /** The recent window whose rates are checked. @default 900000 (15 min) */
        recentWindowMs: z.number().int().min(60_000).default(900_000),
        /** The recent window ends this long ago, so its users had time to type the code. @default 120000 */
        lagMs: z.number().int().min(0).default(120_000),
        /** The key's own baseline: the window just before the recent one. @default 86400000 (24 h) */
        baselineWindowMs: z.number().int().min(600_000).default(86_400_000),
        /** Fewest verifications (conversion) or final outcomes (delivery) in the recent window. */
        minRecentSamples: z.number().int().min(1).default(20),
        /** Fewest in the baseline window. */
        minBaselineSamples: z.number().int().min(1).default(100),
        /** An alert opens when the rate is this much (0..1) below the baseline... */
        dropPoints: z.number().min(0.01).max(1).default(0.25),
        /** ...or below this share of the baseline. */
        dropRatio: z.number().min(0).max(1).default(0.5),
        /** It recovers once the recent rate is back within this much of the baseline it dropped from. */
        recoverWithinPoints: z.number().min(0).max(1).default(0.1),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})

export type AnalyticsConfig = z.output<typeof AnalyticsConfigSchema>
export type AlertMonitorConfig = AnalyticsConfig['alerts']
