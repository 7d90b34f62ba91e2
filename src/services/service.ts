/**
 * @module A service: one app's verification settings (code length, lifetime, attempts, sends,
 * message template and brand, allowed channels).
 */
import type { Channel } from '../channels/channel.js'
import type { ServiceFraudSettings } from '../fraud/service-fraud-settings.js'
import type { LineChecks } from '../lookup/line-checks.js'

/** The Android app a WhatsApp one-tap autofill button hands the code to. */
export interface WhatsappOneTap {
  /** Android package name, e.g. `com.example.app`. */
  readonly packageName: string
  /** The app's 11-character signing-key hash (the same as the SMS Retriever hash). */
  readonly signatureHash: string
}

export interface Service {
  readonly id: string
  readonly name: string
  /** Digits in a code. @default 6 (4-10) */
  readonly codeLength: number
  /** Code lifetime. @default 600 */
  readonly codeTtlSeconds: number
  /** Wrong codes allowed per verification. @default 5 */
  readonly maxCheckAttempts: number
  /** Sends (first + resends) per verification. @default 5 */
  readonly maxSends: number
  /** Shown in the message ("Your Acme code is..."). Defaults to the service name. */
  readonly brandName: string | null
  /** Custom template with `{code}`, `{brand}` and `{minutes}`; the localised default when null. */
  readonly messageTemplate: string | null
  readonly channels: readonly Channel[]
  /** @default 'en' */
  readonly defaultLocale: string
  /** Adds the WebOTP `@domain #code` last line to SMS when set. */
  readonly webotpDomain: string | null
  /**
   * Channels to fall back to, in order, when every route of the verification's channel failed
   * (e.g. `['call', 'whatsapp']` after SMS). Null or empty: no channel fallback.
   */
  readonly fallbackChannels?: readonly Channel[] | null
  /**
   * Android SMS Retriever app hash (11 characters of `[A-Za-z0-9+/]`): added on its own line to SMS
   * so the app reads the code itself. Null or absent: no hash line.
   */
  readonly androidAppHash?: string | null
  /**
   * Origins (`https://app.example.com`) the hosted page may send the person back to with a signed
   * result (`?return_url=`). Null or empty: the page offers no way back but "close this tab".
   */
  readonly returnUrlOrigins?: readonly string[] | null
  /**
   * Origins (`https://shop.example`) whose pages may call the client API (`/v1/client/*`, the
   * widget) with this service's tokens: CORS answers only them. Null or empty: any origin (the
   * client token is the only credential).
   */
  readonly clientOrigins?: readonly string[] | null
  /** What a carrier lookup's answer does before the first send; null or absent: the defaults (`LINE_CHECK_DEFAULTS`). */
  readonly lineChecks?: LineChecks | null
  /** WhatsApp authentication templates with a one-tap autofill button for this app; null: copy-code only. */
  readonly whatsappOneTap?: WhatsappOneTap | null
  /** The fraud guard's mode and per-country caps for this service; null or absent: the configured ones. */
  readonly fraud?: ServiceFraudSettings | null
  readonly createdAt: number
  readonly updatedAt: number
}

export const SERVICE_DEFAULTS = {
  codeLength: 6,
  codeTtlSeconds: 600,
  maxCheckAttempts: 5,
  maxSends: 5,
  channels: ['sms', 'call', 'whatsapp', 'email'] as readonly Channel[],
  defaultLocale: 'en',
} as const

export interface ServiceStore {
  insert(service: Service): Promise<void>
  get(id: string): Promise<Service | undefined>
  list(opts: { limit: number; after?: string | undefined }): Promise<Service[]>
  update(service: Service): Promise<boolean>
  delete(id: string): Promise<boolean>
}

/** Reads a service's settings (cached on the hot path); what domain modules need of services. */
export interface ServiceLookup {
  get(id: string): Promise<Service | undefined>
}
