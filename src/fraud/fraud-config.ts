/**
 * @module The fraud guard's settings (docs/fraud.md). Declared beside the module it configures;
 * `src/config/schema.ts` composes every module's schema into the one config.
 */
import { z } from 'zod'

export const FRAUD_MODES = ['enforce', 'shadow', 'off'] as const
/**
 * `enforce`: a suspect range, country or client IP is refused with FRAUD_SUSPECTED before any SMS.
 * `shadow`: the same decisions are made, recorded and counted, but the code is sent.
 * `off`: nothing is judged (starts and approvals are still counted, so a switch back is informed).
 */
export type FraudMode = (typeof FRAUD_MODES)[number]

export const FraudConfigSchema = z
  .object({
    /** Mode of every service without its own entry in `services`. @default 'enforce' */
    mode: z.enum(FRAUD_MODES).default('enforce'),
    /** Per-service modes, by service id (`{ "svc_...": { "mode": "shadow" } }`). */
    services: z.record(z.string().min(1), z.object({ mode: z.enum(FRAUD_MODES) }).strict()).default({}),
    /**
     * Digits of the E.164 number (after `+`, country code included) that name a range: `+44791111`
     * for 8. Pumping rings walk consecutive numbers of a few ranges; real people are spread thin.
     */
    prefixDigits: z.number().int().min(4).max(12).default(8),
    /** The sliding window starts and approvals are counted over (60 buckets). @default 1800 */
    windowSeconds: z.number().int().min(60).max(86_400).default(1_800),
    /**
     * Half of the people who enter a code have done so this long after the start (delivery, then
     * reading and typing). A start is weighed by the chance it has had to convert (an Erlang-2
     * curve with this median: about 7% at a quarter of it, 50% at it, 99% at four times it), so a
     * burst of fresh starts is not judged before its codes could be typed. @default 30
     */
    approvalDelaySeconds: z.number().min(0.5).max(3_600).default(30),
    /**
     * Approvals a judged range must have been expected to produce before its conversion is judged
     * (the minimum sample). @default 8
     */
    minExpectedApprovals: z.number().min(1).default(8),
    /** Suspect when approvals are below this share of the expected ones. @default 0.25 */
    suspectRatio: z.number().gt(0).lt(1).default(0.25),
    /**
     * The conversion a range is compared with: the rest of its country's (or, for a country or an
     * IP, the rest of the service's) conversion on settled starts (four median delays old) once
     * `minStarts` of them are counted, else `default`; never below `floor`, so an attack cannot
     * drag the yardstick down with it.
     */
    baseline: z
      .object({
        default: z.number().gt(0).max(1).default(0.6),
        floor: z.number().gt(0).max(1).default(0.25),
        minStarts: z.number().int().min(1).default(50),
      })
      .strict()
      .prefault({}),
    /**
     * A range that got this many starts in the window and not one code entered refuses the next
     * one, even before its starts have matured: the fast signal against a ring walking a range
     * faster than people type codes. 0 turns the rule off. @default 20
     */
    unprovenRangeStarts: z.number().int().min(0).default(20),
    /** How long a block lasts unless support lifts it first. @default 3600 */
    blockSeconds: z.number().int().min(60).default(3_600),
    /** After support lifts a block, the key is not judged for this long. @default 86400 */
    liftSeconds: z.number().int().min(60).default(86_400),
    /** Starts per country (ISO code) per service per day; refused with FRAUD_SUSPECTED past it. */
    countryDailyCaps: z.record(z.string().regex(/^[A-Z]{2}$/), z.number().int().min(1)).default({}),
    /** Keys (range, country, IP, service per service) held in memory at most, per instance. */
    maxKeys: z.number().int().min(1_000).default(200_000),
  })
  .strict()
  .prefault({})

export type FraudConfig = z.output<typeof FraudConfigSchema>
