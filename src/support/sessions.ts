/**
 * @module Console sessions: a random 256-bit token in a cookie, only its SHA-256 stored, ending at
 * a fixed lifetime or after an idle timeout, whichever comes first. A staff session re-reads the
 * account on every request, so a disabled account or a changed role takes effect at once.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Clock } from '../shared/clock.js'
import type { StaffRole } from './roles.js'
import type { StaffSession, SupportStore } from './store.js'

export interface SessionConfig {
  readonly sessionTtlSeconds: number
  readonly idleTimeoutSeconds: number
}

/** A live session as the console sees it. */
export interface ConsolePrincipal {
  readonly tokenHash: string
  readonly staffId: string | null
  readonly actor: string
  readonly role: StaffRole
  readonly expiresAt: number
  /** The services the member is limited to; null: every service. */
  readonly services: readonly string[] | null
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

// Touch at most once a minute: the idle timeout is minutes, a write per request is not needed.
const TOUCH_EVERY_MS = 60_000

export class ConsoleSessions {
  constructor(
    private readonly deps: { readonly store: SupportStore; readonly clock: Clock },
    private readonly config: SessionConfig,
  ) {}

  /** Opens a session; the token is returned once and only its hash is stored. */
  async open(who: {
    staffId: string | null
    actor: string
    role: StaffRole
  }): Promise<{ token: string; session: StaffSession }> {
    const token = randomBytes(32).toString('base64url')
    const now = this.deps.clock.now()
    const session: StaffSession = {
      tokenHash: hashSessionToken(token),
      staffId: who.staffId,
      actor: who.actor,
      role: who.role,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.config.sessionTtlSeconds * 1000,
      revokedAt: null,
    }
    await this.deps.store.insertSession(session)
    return { token, session }
  }

  /** The live session of a cookie token, or undefined (unknown, expired, idle, revoked, account disabled). */
  async resolve(token: string | undefined): Promise<ConsolePrincipal | undefined> {
    if (!token || token.length > 100) return undefined
    const tokenHash = hashSessionToken(token)
    const s = await this.deps.store.getSession(tokenHash)
    const now = this.deps.clock.now()
    if (
      !s ||
      s.revokedAt !== null ||
      now >= s.expiresAt ||
      now - s.lastSeenAt >= this.config.idleTimeoutSeconds * 1000
    ) {
      return undefined
    }
    let role = s.role
    let services: readonly string[] | null = null
    if (s.staffId !== null) {
      const member = await this.deps.store.getStaff(s.staffId)
      if (!member || member.disabledAt !== null) return undefined
      role = member.role
      services = member.services
    }
    if (now - s.lastSeenAt >= TOUCH_EVERY_MS) await this.deps.store.touchSession(tokenHash, now)
    return { tokenHash, staffId: s.staffId, actor: s.actor, role, expiresAt: s.expiresAt, services }
  }

  async close(token: string): Promise<void> {
    await this.deps.store.revokeSession(hashSessionToken(token), this.deps.clock.now())
  }
}
