/**
 * @module The digits typed so far, grouped the way the country writes numbers ("07700 9"),
 * from libphonenumber's AsYouType formatter on the full metadata.
 */
import { AsYouType, type CountryCode, isSupportedCountry } from 'libphonenumber-js/max'

/**
 * Formats a partial number as typed. `+` numbers use their own country code; others use
 * `defaultCountry`. Input with letters or other noise is returned as typed.
 */
export function formatAsYouType(input: string, defaultCountry?: string): string {
  if (/[^\d\s()+.\-/]/.test(input)) return input
  const country =
    defaultCountry && isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined
  const formatted = new AsYouType(country).input(input.trim())
  return formatted || input
}
