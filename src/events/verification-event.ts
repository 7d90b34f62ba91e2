/**
 * @module The vocabulary of facts recorded about verifications: every event type and the event
 * record. Below every domain that writes or reads events (verification, delivery, webhooks, metrics).
 */

/**
 * Every fact recorded about a verification. Diagnosis and support screens read these, so each
 * carries what happened with the raw provider codes, not an interpretation.
 */
export const EVENT_TYPES = [
  'created',
  'send_requested',
  'handed_to_provider',
  'submit_failed',
  'delivery_pending',
  'delivered',
  'delivery_failed',
  /** No receipt within the routing timeout; the message moves to the next route. */
  'receipt_timeout',
  /** Every route of a channel failed; the same code goes out on the next channel. */
  'channel_fallback',
  /** No route or channel is left (or a cap was hit): this send is given up. */
  'gave_up',
  'check_failed',
  'approved',
  'expired',
  'canceled',
  'max_attempts_reached',
  'limit_hit',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface NewVerificationEvent {
  readonly verificationId: string | null
  readonly serviceId: string
  readonly destination: string
  readonly type: EventType
  readonly at: number
  readonly data: Readonly<Record<string, unknown>>
  /**
   * The verification as this event left it, for in-process listeners (webhooks, metrics) so they
   * need not read it back on the request path. Never stored and never sent to other processes;
   * absent on events whose writer did not hold the verification (listeners then read it).
   */
  readonly subject?: EventSubject | undefined
}

/** What listeners of an event need of its verification (`NewVerificationEvent.subject`). */
export interface EventSubject {
  readonly status: string
  readonly channel: string
  readonly country: string | null
  readonly risk: {
    readonly simSwap: { readonly lastSwapAt: number | null; readonly withinDays: number }
    readonly carrier: string | null
  } | null
}

export interface VerificationEvent extends NewVerificationEvent {
  readonly id: number
}
