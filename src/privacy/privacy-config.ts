/**
 * @module How long personal data (phone numbers, email addresses, client IPs) is kept in clear.
 * Declared beside the module it configures; `src/config/schema.ts` composes it. See docs/privacy.md.
 */
import { z } from 'zod'

export const PrivacyConfigSchema = z
  .object({
    /**
     * Days after a verification ends (approved, expired, canceled...) before the worker's sweep
     * replaces its number or email with a pseudonym, everywhere it is held. @default 30
     */
    retentionDays: z.number().int().min(1).max(3650).default(30),
    /** Destinations pseudonymised per sweep run (the sweep runs once a minute in the worker). @default 500 */
    sweepBatch: z.number().int().min(1).max(100_000).default(500),
  })
  .strict()
  .prefault({})

export type PrivacyConfig = z.output<typeof PrivacyConfigSchema>
