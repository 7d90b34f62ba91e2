/**
 * @module What the dispatcher needs of the verification whose code a message carries. The
 * verification domain implements it; delivery never reads verifications itself, so the courier
 * stays below the domain that uses it.
 */
import type { Channel } from '../channels/channel.js'

export interface CodeToSend {
  /** The code in clear, opened only for the moment of rendering the message. */
  readonly code: string
  readonly serviceId: string
  /** BCP 47 locale the message is rendered in. */
  readonly locale: string
  /** ISO country of the destination, when known (routes are chosen per country). */
  readonly country: string | null
  /** The channel the verification was started on: channel fallback starts after it. */
  readonly startChannel: Channel
  readonly expiresAt: number
  /** The payment the code authorises (PSD2): the message names it. */
  readonly transaction?: { readonly amount: string; readonly payee: string } | null | undefined
}

export interface CodeSource {
  /**
   * The code of a verification still waiting for it, or undefined once it was approved, canceled,
   * failed or expired at `now` (its messages are then canceled rather than sent).
   */
  codeToSend(verificationId: string, now: number): Promise<CodeToSend | undefined>
}
