/**
 * @module Client sessions: what one browser token may do. The app's server mints a token
 * `vct_<session>_<secret>` with its API key; the browser (hosted page, widget) uses only that token.
 * The secret is 256 random bits and only its SHA-256 is stored, as for API keys.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Channel } from '../channels/channel.js'
import { newId } from '../shared/ids.js'

/** How a session was approved: the verification's channel, or an authenticator factor. */
export const CLIENT_RESULT_FACTORS = [
  'sms',
  'call',
  'whatsapp',
  'email',
  'telegram',
  'totp',
  'passkey',
  'recovery_code',
] as const
export type ClientResultFactor = (typeof CLIENT_RESULT_FACTORS)[number]

export function isClientResultFactor(value: string): value is ClientResultFactor {
  return (CLIENT_RESULT_FACTORS as readonly string[]).includes(value)
}

export interface ClientSession {
  /** `cs_...` */
  readonly id: string
  readonly serviceId: string
  readonly secretHash: string
  /** The app's user id; without it the session has no authenticator factors. */
  readonly entityId: string | null
  /** The session's current (latest) verification. */
  readonly verificationId: string | null
  /**
   * Whether this session started that verification. One it only joined (the same number was
   * already pending, from another tab or the app's server) is never canceled by this session.
   */
  readonly ownsVerification: boolean
  readonly locale: string | null
  readonly defaultCountry: string | null
  readonly prefillTo: string | null
  readonly prefillChannel: Channel | null
  /** Whether this token may enrol new factors (given only to a signed-in user). */
  readonly allowEnrolment: boolean
  readonly resultFactor: ClientResultFactor | null
  readonly resultAt: number | null
  readonly expiresAt: number
  readonly createdAt: number
}

export interface ClientSessionStore {
  insert(session: ClientSession): Promise<void>
  get(id: string): Promise<ClientSession | undefined>
  /**
   * The session that started `verificationId` (pointed at it with `owned`), while it still points
   * at it; undefined otherwise.
   */
  findStarter(verificationId: string): Promise<ClientSession | undefined>
  /** Points the session at its current verification; `owned` when this session started it. */
  setVerification(id: string, verificationId: string, owned: boolean): Promise<void>
  /**
   * Records the session's outcome once: the first approval wins, later ones change nothing.
   * Returns true when this call set it.
   */
  setResult(id: string, factor: ClientResultFactor, at: number): Promise<boolean>
  /** Deletes up to `limit` sessions that expired before `before`; returns how many. */
  deleteExpired(before: number, limit: number): Promise<number>
}

export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

/** A new session row and its token; the token is the only time the secret exists outside the caller. */
export function mintClientSession(
  fields: Omit<
    ClientSession,
    'id' | 'secretHash' | 'resultFactor' | 'resultAt' | 'verificationId' | 'ownsVerification'
  >,
): { session: ClientSession; token: string } {
  const id = newId('clientSession')
  const secret = randomBytes(32).toString('base64url')
  return {
    session: {
      ...fields,
      id,
      secretHash: hashClientSecret(secret),
      verificationId: null,
      ownsVerification: false,
      resultFactor: null,
      resultAt: null,
    },
    token: `vct_${id.slice(3)}_${secret}`,
  }
}

/** Splits a client token into the session id and the secret, or undefined when it is not shaped like one. */
export function parseClientToken(token: string): { id: string; secret: string } | undefined {
  const m = /^vct_([0-9a-z]{24})_([A-Za-z0-9_-]{43})$/.exec(token)
  return m ? { id: `cs_${m[1]}`, secret: m[2]! } : undefined
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function clientSecretMatches(session: ClientSession, secret: string): boolean {
  const a = Buffer.from(hashClientSecret(secret))
  const b = Buffer.from(session.secretHash)
  return a.length === b.length && timingSafeEqual(a, b)
}
