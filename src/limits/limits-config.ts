/**
 * @module The layered limits of verification traffic. Declared beside the module it configures;
 * `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

/** A fixed-window limit rule's settings: `points` per `durationSeconds`. */
export const limitRuleSchema = (points: number, durationSeconds: number) =>
  z
    .object({
      points: z.number().int().min(1).default(points),
      durationSeconds: z.number().int().min(1).default(durationSeconds),
    })
    .strict()
    .prefault({})

export const LimitsConfigSchema = z
  .object({
    sendsPerDestination: limitRuleSchema(5, 600),
    startsPerIp: limitRuleSchema(30, 3600),
    startsPerService: limitRuleSchema(100_000, 60),
    globalSends: limitRuleSchema(1_000_000, 60),
    checksPerDestination: limitRuleSchema(20, 600),
    /**
     * SMS-pumping guard: starts per number prefix (country code + leading digits). Fraud rings
     * walk through consecutive numbers of one range; real users do not.
     */
    startsPerPrefix: limitRuleSchema(500, 600),
    /** Digits of the E.164 number (after `+`) that form the prefix for `startsPerPrefix`. */
    prefixDigits: z.number().int().min(4).max(12).default(9),
    /** Wait before the 1st, 2nd, 3rd... resend; the last value repeats. */
    resendCooldownSeconds: z.array(z.number().int().min(0)).min(1).default([30, 60, 120, 240]),
  })
  .strict()
  .prefault({})

export type LimitsConfig = z.output<typeof LimitsConfigSchema>
