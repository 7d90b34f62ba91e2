/**
 * @module The factor seam: what other surfaces (native API, Twilio-compatible API, hosted page)
 * need from authenticator-app (TOTP) factors. Implemented by `TotpFactors` in this folder.
 */

export const FACTOR_STATUSES = ['unverified', 'verified'] as const
export type FactorStatus = (typeof FACTOR_STATUSES)[number]

export interface TotpFactor {
  /** `fac_...` */
  readonly id: string
  readonly serviceId: string
  /** The app's own user id. */
  readonly entityId: string
  readonly friendlyName: string
  readonly status: FactorStatus
  readonly issuer: string
  readonly digits: number
  readonly periodSeconds: number
  /** Steps of clock drift accepted either side. @default 1 */
  readonly skew: number
  readonly createdAt: number
  readonly updatedAt: number
}

export interface TotpEnrolment {
  readonly factor: TotpFactor
  /** Base32 secret, returned only at enrolment. */
  readonly secret: string
  /** `otpauth://totp/...` URI for authenticator apps. */
  readonly uri: string
}

export type ChallengeResult =
  | { readonly status: 'approved'; readonly factor: TotpFactor }
  /** Wrong code; `attemptsLeft` before a lock. */
  | { readonly status: 'denied'; readonly factor: TotpFactor; readonly attemptsLeft: number }

export interface TotpFactorsApi {
  enrol(input: {
    serviceId: string
    entityId: string
    friendlyName: string
    issuer?: string | undefined
    digits?: number | undefined
    periodSeconds?: number | undefined
    skew?: number | undefined
  }): Promise<TotpEnrolment>
  /** The first good code turns an unverified factor verified. @throws AppError on lock/replay/not found */
  verify(serviceId: string, entityId: string, factorId: string, code: string): Promise<ChallengeResult>
  /** A code check against a verified factor. @throws AppError when locked (with retry_after), replayed, not found */
  challenge(serviceId: string, entityId: string, factorId: string, code: string): Promise<ChallengeResult>
  get(serviceId: string, entityId: string, factorId: string): Promise<TotpFactor | undefined>
  list(serviceId: string, entityId: string): Promise<TotpFactor[]>
  delete(serviceId: string, entityId: string, factorId: string): Promise<boolean>
}
