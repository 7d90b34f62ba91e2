/** @module The client API's JSON shapes as the widget reads them (docs/client-api.md). */

export type Channel = 'sms' | 'call' | 'whatsapp' | 'email' | 'telegram'
export type VerificationStatus = 'pending' | 'approved' | 'canceled' | 'expired' | 'failed'
export type DeliveryStep =
  | 'queued'
  | 'handed_to_carrier'
  | 'delivered'
  | 'failed'
  | 'rerouted'
  | 'channel_switched'
  /** No receipt in time: not failed, the message may still arrive. */
  | 'unconfirmed'
  /** The provider is not answering; the server keeps trying until `retry_at`. */
  | 'retrying'

export interface TimelineEntry {
  readonly step: DeliveryStep
  readonly at: string
  readonly channel?: Channel
  readonly sender?: string | null
  readonly reason?: string | null
  readonly retry_at?: string | null
  readonly late?: boolean
  /** For a late delivery: seconds from the hand-over to the delivery. */
  readonly after_s?: number
}

export interface ClientVerification {
  readonly id: string
  readonly status: VerificationStatus
  readonly channel: Channel
  readonly to: string
  readonly to_display?: string
  readonly code_length: number
  readonly attempts_left: number
  readonly sends_left: number
  readonly next_resend_at: string | null
  readonly expires_at: string
  readonly created_at: string
  readonly delivery?: {
    readonly state: DeliveryStep
    readonly at: string
    readonly channel: Channel
    readonly sender?: string | null
    readonly reason?: string | null
    readonly retry_at?: string | null
  } | null
  readonly timeline?: readonly TimelineEntry[]
}

export interface FactorAvailability {
  readonly totp: boolean
  readonly passkey: boolean
  readonly recovery_codes: boolean
}

export interface ClientSession {
  readonly session_id: string
  readonly expires_at: string
  readonly resume_url: string
  readonly locale: string | null
  readonly default_country: string | null
  readonly service: {
    readonly name: string
    readonly channels: readonly Channel[]
    readonly fallback_channels?: readonly Channel[]
  }
  readonly prefill: { readonly to?: string | null; readonly channel?: Channel | null } | null
  readonly entity: { readonly factors: FactorAvailability; readonly allow_enrolment: boolean } | null
  readonly result: { readonly approved: boolean; readonly factor: string; readonly at: string } | null
  readonly verification: ClientVerification | null
}

export interface PhoneAnalysis {
  readonly valid: boolean
  readonly e164: string | null
  readonly country: string | null
  readonly national_format: string | null
  readonly international_format: string | null
  readonly type: string
  readonly can_receive_sms: boolean
  readonly can_receive_voice: boolean
  /** The input so far, grouped the way its country writes numbers (client API only). */
  readonly as_you_type?: string
  readonly problem: { readonly reason: string; readonly message: string } | null
  readonly suggestion: {
    readonly e164?: string
    readonly formatted?: string
    readonly message: string
    readonly channel?: 'call'
  } | null
}

export interface DiagnosisCause {
  readonly id: string
  readonly likelihood: string
  readonly rank: number
  readonly title: string
  readonly explanation: string
  readonly next_actions: readonly string[]
  readonly wait_seconds?: number
  readonly sender_id?: string
  /** A corrected number (or an object carrying one), when the number was mistyped. */
  readonly suggestion?:
    | string
    | { readonly number?: string; readonly e164?: string; readonly channel?: Channel }
    | null
  readonly suggested_number?: string
  readonly suggested_channel?: Channel
}

export interface ClientDiagnosis {
  readonly status: string
  readonly summary?: string
  readonly causes: readonly DiagnosisCause[]
}
