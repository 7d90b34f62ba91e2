/** @module Public API of the phone domain: analyse a typed phone number for verification. */

export { formatAsYouType } from './as-you-type.js'
export type { ChannelCapabilities } from './number-type-capabilities.js'
export { NUMBER_TYPE_CAPABILITIES } from './number-type-capabilities.js'
export type {
  AnalyzePhoneNumberOptions,
  PhoneAnalysis,
  PhoneAnalysisProblem,
  PhoneNumberType,
  PhoneProblem,
  PhoneSuggestion,
} from './phone-analysis.js'
export { analyzePhoneNumber, isPhoneProblem, PHONE_NUMBER_TYPES, PHONE_PROBLEMS } from './phone-analysis.js'
