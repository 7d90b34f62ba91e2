/**
 * @module A service's own fraud-guard settings (the admin API's `fraud` on a service, the console's
 * service page): its mode and its per-country daily caps. Unset values fall back to the server's
 * configuration (`fraud.services[id].mode`, then `fraud.mode`; `fraud.countryDailyCaps`), so config
 * stays the default and a service only says where it differs (docs/fraud.md).
 */
import { isSupportedCountry } from 'libphonenumber-js/max'
import { AppError } from '../errors/app-error.js'
import { FRAUD_MODES, type FraudMode } from './fraud-config.js'

export interface ServiceFraudSettings {
  /** null: the configured mode. */
  readonly mode: FraudMode | null
  /**
   * Starts per country (ISO code) per day for this service; replaces the configured caps when set
   * (`{}`: no cap at all). null: the configured caps.
   */
  readonly countryDailyCaps: Readonly<Record<string, number>> | null
}

/** The most a daily cap may be (a cap above any real traffic is no cap; ask for `{}` instead). */
export const MAX_COUNTRY_DAILY_CAP = 10_000_000
/** Countries a service may cap: more than this is a list of every country, better said as config. */
export const MAX_CAPPED_COUNTRIES = 250

function invalid(field: string, message: string): AppError {
  return new AppError('FRAUD_SETTINGS_INVALID', { message, details: { field } })
}

/**
 * Checks a service's fraud settings as sent (any JSON) and returns them in the domain's shape.
 * `field` is where they sit in the request, for the error's `details.field`.
 * @throws AppError FRAUD_SETTINGS_INVALID (422) naming the field at fault
 */
export function parseServiceFraudSettings(
  input: { mode?: unknown; country_daily_caps?: unknown },
  current: ServiceFraudSettings | null,
  field = 'fraud',
): ServiceFraudSettings {
  let mode = current?.mode ?? null
  if (input.mode !== undefined) {
    if (input.mode !== null && !(FRAUD_MODES as readonly unknown[]).includes(input.mode)) {
      throw invalid(
        `${field}.mode`,
        `${field}.mode must be one of ${FRAUD_MODES.join(', ')}, or null for the server's configured mode; got ${JSON.stringify(input.mode)}.`,
      )
    }
    mode = input.mode as FraudMode | null
  }
  let caps = current?.countryDailyCaps ?? null
  if (input.country_daily_caps !== undefined) {
    const raw = input.country_daily_caps
    if (raw === null) caps = null
    else if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw invalid(
        `${field}.country_daily_caps`,
        `${field}.country_daily_caps must be an object of ISO country codes to daily caps, for example {"GB": 5000}, or null for the configured caps.`,
      )
    } else {
      const entries = Object.entries(raw as Record<string, unknown>)
      if (entries.length > MAX_CAPPED_COUNTRIES) {
        throw invalid(
          `${field}.country_daily_caps`,
          `${field}.country_daily_caps names ${entries.length} countries; at most ${MAX_CAPPED_COUNTRIES}.`,
        )
      }
      const out: Record<string, number> = {}
      for (const [country, cap] of entries) {
        if (!/^[A-Z]{2}$/.test(country) || !isSupportedCountry(country)) {
          throw invalid(
            `${field}.country_daily_caps.${country}`,
            `"${country}" is not a country code with phone numbers; use the two capital letters of ISO 3166-1 (GB, US, FR...).`,
          )
        }
        if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1 || cap > MAX_COUNTRY_DAILY_CAP) {
          throw invalid(
            `${field}.country_daily_caps.${country}`,
            `The daily cap for ${country} must be a whole number from 1 to ${MAX_COUNTRY_DAILY_CAP}; got ${JSON.stringify(cap)}. To stop capping a country, leave it out.`,
          )
        }
        out[country] = cap
      }
      caps = out
    }
  }
  return { mode, countryDailyCaps: caps }
}

/** Settings that say nothing of their own are stored as none. */
export function isDefaultFraudSettings(s: ServiceFraudSettings | null | undefined): boolean {
  return !s || (s.mode === null && s.countryDailyCaps === null)
}
