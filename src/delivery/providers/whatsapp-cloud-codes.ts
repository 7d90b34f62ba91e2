/**
 * @module WhatsApp Cloud API error codes (Graph API `error.code` on a refused send, and
 * `statuses[].errors[].code` in `failed` status webhooks) mapped onto the delivery taxonomy.
 */
import type { DeliveryOutcome } from '../outcome.js'

interface WhatsappCodeMapping {
  readonly outcome: DeliveryOutcome
  /** Worth sending again after a pause. */
  readonly retryable: boolean
  readonly title: string
}

const config = (title: string): WhatsappCodeMapping => ({
  outcome: 'provider_error',
  retryable: false,
  title,
})
const transient = (title: string): WhatsappCodeMapping => ({
  outcome: 'provider_error',
  retryable: true,
  title,
})
const throttled = (title: string): WhatsappCodeMapping => ({
  outcome: 'provider_throttled',
  retryable: true,
  title,
})

/** Codes from Meta's "Cloud API error codes" reference. */
export const WHATSAPP_CLOUD_ERRORS: Readonly<Record<number, WhatsappCodeMapping>> = {
  0: config('AuthException'),
  1: transient('API Unknown'),
  2: transient('API Service'),
  3: config('API Method'),
  4: throttled('API Too Many Calls'),
  10: config('Permission Denied'),
  17: throttled('API User Too Many Calls'),
  190: config('Access token has expired'),
  200: config('API Permission'),
  341: throttled('Application limit reached'),
  368: config('Temporarily blocked for policies violations'),
  80007: throttled('Rate limit issues'),
  130429: throttled('Rate limit hit'),
  130472: { outcome: 'carrier_blocked', retryable: false, title: "User's number is part of an experiment" },
  130497: {
    outcome: 'geo_blocked',
    retryable: false,
    title: 'Business account is restricted from messaging users in this country',
  },
  131000: transient('Something went wrong'),
  131005: config('Access denied'),
  131008: config('Required parameter is missing'),
  131009: config('Parameter value is not valid'),
  131016: transient('Service unavailable'),
  131021: { outcome: 'invalid_number', retryable: false, title: 'Recipient cannot be sender' },
  // Not a WhatsApp user, terms not accepted, or an old client: the number may still take an SMS, so this
  // stays a reroutable outcome rather than `unknown_subscriber`.
  131026: { outcome: 'unreachable', retryable: false, title: 'Message undeliverable' },
  131030: config('Recipient phone number not in allowed list'),
  131031: config('Account has been locked'),
  131037: config('WhatsApp provided number needs display name approval before message can be sent'),
  131042: config('Business eligibility payment issue'),
  131045: config('Incorrect certificate'),
  // Free-form text outside the 24-hour customer service window; an authentication template is needed.
  131047: config('Re-engagement message'),
  131048: throttled('Spam rate limit hit'),
  131049: { outcome: 'carrier_blocked', retryable: false, title: 'Meta chose not to deliver' },
  131050: { outcome: 'opted_out', retryable: false, title: 'User stopped marketing messages' },
  131051: config('Unsupported message type'),
  131052: config('Media download error'),
  131053: config('Media upload error'),
  131056: throttled('(Business Account, Consumer Account) pair rate limit hit'),
  131057: transient('Account in maintenance mode'),
  132000: config('Template Param Count Mismatch'),
  132001: config('Template does not exist'),
  132005: config('Template Hydrated Text Too Long'),
  132007: config('Template Format Character Policy Violated'),
  132012: config('Template Parameter Format Mismatch'),
  132015: config('Template is Paused'),
  132016: config('Template is Disabled'),
  133000: config('Incomplete Deregistration'),
  133004: transient('Server Temporarily Unavailable'),
  133010: config('Phone number Not Registered'),
  135000: config('Generic user error'),
}

/** Permission errors are a range (200-299), not single codes. */
export function whatsappCloudError(code: number | undefined): WhatsappCodeMapping | undefined {
  if (code === undefined) return undefined
  return WHATSAPP_CLOUD_ERRORS[code] ?? (code >= 200 && code <= 299 ? WHATSAPP_CLOUD_ERRORS[200] : undefined)
}

/** Message statuses in webhooks; `failed` is refined by its error code. */
export const WHATSAPP_CLOUD_STATUSES: Readonly<Record<string, DeliveryOutcome>> = {
  sent: 'pending', // reached WhatsApp's servers
  delivered: 'delivered',
  read: 'delivered',
  failed: 'unknown',
}
