/** @module Phone number analysis: E.164 normalisation, number type, SMS/voice reach, precise problems and "did you mean" fixes. */

import type {
  CountryCode,
  PhoneNumberType as LibraryNumberType,
  ValidatePhoneNumberLengthResult,
} from 'libphonenumber-js/max'
import parsePhoneNumber, {
  getCountryCallingCode,
  isSupportedCountry,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max'
import { BoundedCache } from './bounded-cache.js'
import { findCountryCandidates } from './country-candidates.js'
import { typeOf } from './fictional-numbers.js'
import { NUMBER_TYPE_CAPABILITIES, toPhoneNumberType } from './number-type-capabilities.js'
import { MESSAGES, notSmsCapableMessage, voiceInsteadMessage } from './phone-messages.js'
import type { PhoneNumberType } from './phone-number-types.js'
import { findDoubledInternationalPrefix, findRepeatedCallingCode } from './repeated-prefix.js'
import { scanPhoneInput } from './scan-phone-input.js'
import {
  mainCountryOf,
  mainPlanDecidesCountry,
  possibleLengthsOf,
  splitCallingCode,
} from './split-calling-code.js'
import { checkTrunkPrefix } from './trunk-prefix.js'
import type { ParsedNumber } from './valid-number.js'
import { asTypedNumber, parseValidNumber } from './valid-number.js'

/** Why a number cannot be used as typed. Stable values: clients switch on them. */
export const PHONE_PROBLEMS = [
  'empty',
  'not_a_number',
  'missing_country_code',
  'invalid_country_code',
  'too_short',
  'too_long',
  'trunk_prefix_after_country_code',
  'invalid_number',
  'not_sms_capable',
] as const

/** One of {@link PHONE_PROBLEMS}. */
export type PhoneProblem = (typeof PHONE_PROBLEMS)[number]

/** True when `value` is one of {@link PHONE_PROBLEMS}. */
export function isPhoneProblem(value: unknown): value is PhoneProblem {
  return typeof value === 'string' && (PHONE_PROBLEMS as readonly string[]).includes(value)
}

export { PHONE_NUMBER_TYPES, type PhoneNumberType } from './phone-number-types.js'

/** What is wrong with the input. */
export interface PhoneAnalysisProblem {
  /** Machine-readable reason. */
  reason: PhoneProblem
  /** One sentence the person typing the number can act on, in English. */
  message: string
}

/** A "did you mean" for the person typing the number. */
export interface PhoneSuggestion {
  /** The corrected number, when there is one. */
  e164?: string
  /** `e164` in international format, for display: `'+44 7700 900123'`. */
  formatted?: string
  /** One sentence offering the fix. */
  message: string
  /** Set when the fix is to use another channel rather than another number. */
  channel?: 'call'
}

/** Everything known about one input. Results are frozen and may be shared between calls. */
export interface PhoneAnalysis {
  /** The input exactly as given. */
  input: string
  /** True when `e164` can be reached by SMS or by voice call. */
  valid: boolean
  /** Normalised number, e.g. `'+447700900123'`. Present whenever the digits form a valid number, even one no channel can reach (premium rate). */
  e164?: string
  /** ISO 3166-1 alpha-2, e.g. `'GB'`. Absent for non-geographic numbers (+800) and unknown countries. */
  country?: string
  /** Without `+`, e.g. `'44'`. Present whenever the calling code could be read. */
  countryCallingCode?: string
  /** Domestic format, e.g. `'07700 900123'`. Present with `e164`; computed on first read (an enumerable getter). */
  nationalFormat?: string
  /** International format, e.g. `'+44 7700 900123'`. Present with `e164`; computed on first read (an enumerable getter). */
  internationalFormat?: string
  /** Number type; `'unknown'` whenever the number is not valid. */
  type: PhoneNumberType
  /** Text messages reach this number. `voip` counts as true; callers with a fraud policy check `type`. */
  canReceiveSms: boolean
  /** A voice call reaches this number without paying a premium tariff. */
  canReceiveVoice: boolean
  /** Absent when the number is fine for SMS. `not_sms_capable` may come with `valid: true` (voice works). */
  problem?: PhoneAnalysisProblem
  /** A corrected number, or `{ channel: 'call' }` for numbers that take voice but not SMS. */
  suggestion?: PhoneSuggestion
}

/** Options for {@link analyzePhoneNumber}. */
export interface AnalyzePhoneNumberOptions {
  /**
   * ISO 3166-1 alpha-2 country (any case) used for input without a `+` or `00` prefix.
   * Unsupported codes are ignored, so input without a country code then reports `missing_country_code`.
   * @default undefined
   */
  defaultCountry?: string
}

/** E.164 allows 15 digits; two more leave room for a `00` prefix. Beyond that nothing can help. */
const MAX_DIGITS = 17
/** Long inputs are never valid and would let one caller flush everyone else's cached numbers. */
const MAX_CACHED_INPUT_LENGTH = 40
const cache = new BoundedCache<string, PhoneAnalysis>(10_000)

/**
 * Normalises and classifies a phone number typed by a person, explaining what is wrong and how to
 * fix it. Never throws. Repeated inputs are answered from a bounded cache (10,000 entries).
 *
 * ```ts
 * analyzePhoneNumber('07700 900123', { defaultCountry: 'GB' }).e164 // '+447700900123' if valid
 * analyzePhoneNumber('+44 07400 123456').suggestion?.e164 // '+447400123456'
 * ```
 */
export function analyzePhoneNumber(input: string, opts?: AnalyzePhoneNumberOptions): PhoneAnalysis {
  const defaultCountry = supportedCountry(opts?.defaultCountry)
  // The country is a fixed two-character prefix ('--' for none), so keys cannot collide.
  const key = (defaultCountry ?? '--') + input
  const cacheable = input.length <= MAX_CACHED_INPUT_LENGTH
  const hit = cacheable ? cache.get(key) : undefined
  if (hit) return hit
  const result = freeze(analyze(input, defaultCountry))
  if (cacheable) cache.set(key, result)
  return result
}

function supportedCountry(country: string | undefined): CountryCode | undefined {
  if (!country) return undefined
  const upper = country.toUpperCase()
  return isSupportedCountry(upper) ? upper : undefined
}

function analyze(input: string, defaultCountry: CountryCode | undefined): PhoneAnalysis {
  const scanned = scanPhoneInput(input)
  switch (scanned.kind) {
    case 'empty':
      return failure(input, 'empty', MESSAGES.empty)
    case 'junk':
      return failure(input, 'not_a_number', MESSAGES.notANumber)
    case 'letters': {
      // Extension markers (`x12`) are libphonenumber's business; the extension itself is dropped.
      const parsed = parsePhoneNumber(scanned.text, { defaultCountry, extract: false })
      return parsed
        ? analyzeInternational(input, parsed.number.slice(1))
        : failure(input, 'not_a_number', MESSAGES.notANumber)
    }
    case 'digits': {
      const { plus, digits } = scanned
      if (digits.length > MAX_DIGITS) return failure(input, 'too_long', MESSAGES.tooManyDigits)
      if (plus) return analyzeInternational(input, digits)
      if (defaultCountry) return analyzeNational(input, digits, defaultCountry)
      if (digits.startsWith('00')) return analyzeInternational(input, digits.slice(2))
      return analyzeMissingCountryCode(input, digits)
    }
  }
}

/** `digits` is everything after the `+` (or after `00`). */
function analyzeInternational(input: string, digits: string): PhoneAnalysis {
  const split = splitCallingCode(digits)
  if (!split) {
    const doubled = findDoubledInternationalPrefix(digits)
    return failure(input, 'invalid_country_code', MESSAGES.invalidCountryCode(digits), {
      suggestion:
        doubled &&
        suggest(
          doubled.number,
          MESSAGES.doubledInternationalPrefix(doubled.prefix, doubled.number.formatInternational()),
        ),
    })
  }
  const { callingCode } = split
  if (split.national && mainPlanDecidesCountry(callingCode)) {
    // Fast path (about 8 µs instead of 20): digits that are valid exactly as typed need neither
    // libphonenumber's prefix stripping nor its country search.
    const asTyped = asTypedNumber(`+${digits}`)
    const type = asTyped && typeOf(asTyped)
    if (asTyped && type) return validAnalysis(input, asTyped, type, mainCountryOf(callingCode))
  }
  const parsed = split.national ? parsePhoneNumber(`+${digits}`, { extract: false }) : undefined
  if (parsed) {
    const trunk = checkTrunkPrefix(split, parsed)
    if (trunk.kind === 'mistake') {
      const { corrected, prefix } = trunk
      const message = MESSAGES.trunkPrefix(prefix, callingCode, corrected.formatInternational())
      return failure(input, 'trunk_prefix_after_country_code', message, {
        country: corrected.country,
        countryCallingCode: callingCode,
        suggestion: suggest(corrected, message),
      })
    }
    const success = analyzeIfValid(input, trunk.number)
    if (success) return success
  }
  const repeated = findRepeatedCallingCode(split)
  if (repeated) {
    const message = MESSAGES.repeatedCallingCode(callingCode, repeated.formatInternational())
    return failure(input, 'invalid_number', message, {
      countryCallingCode: callingCode,
      suggestion: suggest(repeated, message),
    })
  }
  const length = validatePhoneNumberLength(`+${digits}`)
  return lengthOrInvalid(
    input,
    length,
    callingCode,
    parsed?.country,
    parsed?.nationalNumber.length ?? split.national.length,
  )
}

function analyzeNational(input: string, digits: string, defaultCountry: CountryCode): PhoneAnalysis {
  const parsed = parsePhoneNumber(digits, { defaultCountry, extract: false })
  const success = parsed && analyzeIfValid(input, parsed)
  if (success) return success
  // libphonenumber already handles the country's own dialling prefix (011 in the US); 00 is the
  // prefix almost everywhere else and people carry the habit abroad.
  if (digits.startsWith('00')) return analyzeInternational(input, digits.slice(2))
  const forgotPlus = digits.startsWith('0') ? undefined : parseValidNumber(`+${digits}`)
  if (forgotPlus) return missingPlus(input, forgotPlus)
  const length = validatePhoneNumberLength(digits, defaultCountry)
  const country = parsed?.country ?? defaultCountry
  return lengthOrInvalid(
    input,
    length,
    getCountryCallingCode(defaultCountry),
    country,
    parsed?.nationalNumber.length ?? digits.length,
  )
}

function analyzeMissingCountryCode(input: string, digits: string): PhoneAnalysis {
  const candidates = [...findCountryCandidates(digits).values()]
  const [only] = candidates
  if (only && candidates.length === 1) {
    if (only.number === `+${digits}`) return missingPlus(input, only)
    return failure(input, 'missing_country_code', MESSAGES.missingCountryCode([]), {
      suggestion: suggest(only, MESSAGES.didYouMean(only.formatInternational(), only.country)),
    })
  }
  const couldBe = new Set<string>()
  for (const number of candidates) {
    const country = number.country ?? mainCountryOf(number.countryCallingCode)
    if (country) couldBe.add(country)
  }
  return failure(input, 'missing_country_code', MESSAGES.missingCountryCode([...couldBe]))
}

function missingPlus(input: string, number: ParsedNumber): PhoneAnalysis {
  return failure(input, 'missing_country_code', MESSAGES.missingPlus, {
    suggestion: suggest(number, MESSAGES.addPlus(number.formatInternational())),
  })
}

function analyzeIfValid(input: string, number: ParsedNumber): PhoneAnalysis | undefined {
  const libraryType = typeOf(number)
  if (libraryType === undefined && !number.isValid()) return undefined
  return validAnalysis(input, number, libraryType, number.country)
}

function validAnalysis(
  input: string,
  number: ParsedNumber,
  libraryType: LibraryNumberType | undefined,
  country: CountryCode | undefined,
): PhoneAnalysis {
  const type = toPhoneNumberType(libraryType)
  const { sms, voice } = NUMBER_TYPE_CAPABILITIES[type]
  // Formatting costs about as much as validating, and the verification hot path only needs `e164`,
  // so the formats are enumerable getters computed on first read. They close over the E.164 string
  // only, not the parsed number, because cached results that retain less cost less to collect.
  // Object-literal accessors also keep the object in V8's fast mode, unlike `Object.defineProperty`.
  const e164 = number.number
  let formats: { national: string; international: string } | undefined
  const analysis: PhoneAnalysis = {
    input,
    valid: sms || voice,
    e164,
    countryCallingCode: number.countryCallingCode,
    get nationalFormat() {
      formats ??= formatsOf(e164)
      return formats.national
    },
    get internationalFormat() {
      formats ??= formatsOf(e164)
      return formats.international
    },
    type,
    canReceiveSms: sms,
    canReceiveVoice: voice,
  }
  if (country) analysis.country = country
  if (!sms) {
    analysis.problem = { reason: 'not_sms_capable', message: notSmsCapableMessage(type, voice) }
    if (voice) analysis.suggestion = { message: voiceInsteadMessage(type), channel: 'call' }
  }
  return analysis
}

function lengthOrInvalid(
  input: string,
  length: ValidatePhoneNumberLengthResult | undefined,
  callingCode: string,
  country: CountryCode | undefined,
  actual: number,
): PhoneAnalysis {
  const extra = { country, countryCallingCode: callingCode }
  const reason = lengthProblem(length, country ?? mainCountryOf(callingCode), actual)
  if (reason) return failure(input, reason, MESSAGES.wrongLength(reason, callingCode, country, actual), extra)
  return failure(input, 'invalid_number', MESSAGES.invalidNumber(callingCode, country), extra)
}

function lengthProblem(
  length: ValidatePhoneNumberLengthResult | undefined,
  country: CountryCode | undefined,
  actual: number,
): 'too_short' | 'too_long' | undefined {
  switch (length) {
    case 'TOO_SHORT':
    case 'NOT_A_NUMBER':
      return 'too_short'
    case 'TOO_LONG':
      return 'too_long'
    case 'INVALID_LENGTH': {
      // Between the shortest and longest allowed length but not one of them: name the nearer side,
      // preferring "too short" on a tie because a dropped digit is the more common slip.
      let nearest = Number.POSITIVE_INFINITY
      for (const allowed of country ? possibleLengthsOf(country) : []) {
        const closer = Math.abs(allowed - actual) - Math.abs(nearest - actual)
        if (closer < 0 || (closer === 0 && allowed > nearest)) nearest = allowed
      }
      return nearest >= actual ? 'too_short' : 'too_long'
    }
    default:
      return undefined
  }
}

interface FailureExtra {
  country?: string | undefined
  countryCallingCode?: string | undefined
  suggestion?: PhoneSuggestion | undefined
}

function failure(
  input: string,
  reason: PhoneProblem,
  message: string,
  extra: FailureExtra = {},
): PhoneAnalysis {
  const analysis: PhoneAnalysis = {
    input,
    valid: false,
    type: 'unknown',
    canReceiveSms: false,
    canReceiveVoice: false,
    problem: { reason, message },
  }
  if (extra.country) analysis.country = extra.country
  if (extra.countryCallingCode) analysis.countryCallingCode = extra.countryCallingCode
  if (extra.suggestion) analysis.suggestion = extra.suggestion
  return analysis
}

function formatsOf(e164: string): { national: string; international: string } {
  // Re-parsing a valid E.164 number yields the same country, hence the same formats.
  const number = parsePhoneNumber(e164)
  return { national: number?.formatNational() ?? e164, international: number?.formatInternational() ?? e164 }
}

function suggest(number: ParsedNumber, message: string): PhoneSuggestion {
  return { e164: number.number, formatted: number.formatInternational(), message }
}

function freeze(analysis: PhoneAnalysis): PhoneAnalysis {
  if (analysis.problem) Object.freeze(analysis.problem)
  if (analysis.suggestion) Object.freeze(analysis.suggestion)
  return Object.freeze(analysis)
}
