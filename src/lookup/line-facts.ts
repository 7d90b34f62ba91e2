/**
 * @module What a carrier lookup says about a phone number, in verigate's terms: the line type, the
 * carrier, and when the SIM was last swapped (where the provider offers it). Each adapter maps its
 * vendor's words onto these.
 */

export const LINE_TYPES = [
  'mobile',
  'landline',
  'fixed_voip',
  'non_fixed_voip',
  'toll_free',
  'premium',
  'pager',
  'other',
  'unknown',
] as const
export type LineType = (typeof LINE_TYPES)[number]

export interface SimSwapFacts {
  /** When the SIM was last swapped (ms since epoch), when the provider gives a date. */
  readonly lastSwapAt: number | null
  /**
   * Twilio answers a period instead of a date for some carriers: the swap happened within
   * `periodHours` hours before the lookup (`swapped: true`), or not (`swapped: false`).
   */
  readonly period: { readonly hours: number; readonly swapped: boolean } | null
}

export interface LineFacts {
  readonly lineType: LineType
  readonly carrier: string | null
  /** Null when the provider does not offer SIM swap data, or had none for this number. */
  readonly simSwap: SimSwapFacts | null
  /** Which lookup provider answered (`twilio-lookup`, `vonage-insight`, `simulator`). */
  readonly source: string
  /** When the lookup was made (ms since epoch); cached answers keep their original time. */
  readonly lookedUpAt: number
}

/** A lookup provider: one vendor's API behind one method. */
export interface LineLookupProvider {
  readonly id: string
  /** @throws Error when the vendor cannot answer (the caller logs it and sends anyway). */
  lookup(e164: string, opts: { signal: AbortSignal; now: number }): Promise<LineFacts>
}

/**
 * Whether the SIM was swapped within `days` before `now`. A period answer counts only when its
 * period fits inside the window (a "swapped within 7 days" says nothing certain about 1 day).
 */
export function swappedWithin(facts: SimSwapFacts | null, days: number, now: number): boolean {
  if (!facts || days <= 0) return false
  const window = days * 86_400_000
  if (facts.lastSwapAt !== null) return now - facts.lastSwapAt <= window
  if (facts.period) return facts.period.swapped && facts.period.hours * 3_600_000 <= window
  return false
}
