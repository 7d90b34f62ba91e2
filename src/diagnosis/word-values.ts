/**
 * @module The values a diagnosis catalog string is filled with (durations, clock times, countries,
 * channels) and the wording a finding asks of a catalog. Apart from the rules, so the catalogs'
 * formatter and the support words use them without importing the rules' machinery.
 */
import type { Channel } from '../channels/channel.js'

/** A span of time; the catalogs say it their way ("4 minutes" for the person, "3 min 52 sec" for staff). */
export interface DurationValue {
  readonly durationMs: number
}
/** A time of day, for staff ("12:00:07 UTC"). */
export interface ClockValue {
  readonly clockMs: number
}
/** An ISO country, named in the reader's language. */
export interface CountryValue {
  readonly countryCode: string
}
/** A channel, named as the reader's catalog names a message on it ("text message"). */
export interface ChannelValue {
  readonly channel: Channel
}

export type WordValue = string | number | DurationValue | ClockValue | CountryValue | ChannelValue

/**
 * The values a catalog string is filled with. Every key also gives `<key>_known` (`yes` or `no`)
 * to `select` on, so a clause can depend on whether a fact is known: list a key with an undefined
 * value to say "not known".
 */
export type WordValues = Readonly<Record<string, WordValue | undefined>>

export const duration = (ms: number): DurationValue => ({ durationMs: ms })
export const clock = (ms: number): ClockValue => ({ clockMs: ms })
export const country = (code: string): CountryValue => ({ countryCode: code })
export const channel = (c: Channel): ChannelValue => ({ channel: c })
/** `yes` or `no`, for a `select`. */
export const yesNo = (b: boolean): 'yes' | 'no' => (b ? 'yes' : 'no')

/** Which words a catalog should use, and what to fill them with. */
export interface Wording {
  /** A finer wording of the cause (`rate_limited` -> `resend_cooldown`); absent: the cause's own words. */
  readonly situation?: string | undefined
  readonly values?: WordValues
}
