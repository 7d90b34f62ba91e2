/** @module What the support console needs from storage. Implemented in `src/storage/support-store.ts`. */
import type { VerificationEvent } from '../events/verification-event.js'
import type { StaffRole } from './roles.js'

export interface StaffMember {
  /** `stf_...` */
  readonly id: string
  /** Lower case. */
  readonly email: string
  readonly role: StaffRole
  /** See `password.ts`; never shown, never logged. */
  readonly passwordHash: string
  readonly disabledAt: number | null
  readonly lastLoginAt: number | null
  readonly createdAt: number
  readonly updatedAt: number
  /** The services this member may see and act on; null: every service. */
  readonly services: readonly string[] | null
}

export interface StaffSession {
  /** SHA-256 (base64url) of the cookie token. */
  readonly tokenHash: string
  /** Null for a session opened with an admin API key. */
  readonly staffId: string | null
  /** The name the audit log uses: the staff email, or `api-key <id>`. */
  readonly actor: string
  readonly role: StaffRole
  readonly createdAt: number
  readonly lastSeenAt: number
  readonly expiresAt: number
  readonly revokedAt: number | null
}

export interface NewAuditEntry {
  readonly at: number
  readonly actor: string
  readonly actorRole: string
  /** Dotted action name, e.g. `limit.lift` (see `AUDIT_ACTIONS`). */
  readonly action: string
  readonly target: string | null
  readonly reason: string | null
  readonly details: Readonly<Record<string, unknown>>
  readonly ip: string | null
  /** The service the entry concerns, when one; absent or null for installation-wide entries. */
  readonly serviceId?: string | null
}

export interface AuditEntry extends NewAuditEntry {
  readonly id: number
}

export interface AuditFilter {
  readonly actor?: string | undefined
  readonly action?: string | undefined
  /** Exact target. */
  readonly target?: string | undefined
  /** Inclusive, milliseconds since the epoch. */
  readonly from?: number | undefined
  /** Exclusive. */
  readonly to?: number | undefined
  /** Entries with a smaller id only (the next page). */
  readonly beforeId?: number | undefined
  /**
   * A console member limited to services: entries of those services, and the member's own
   * (their sign-ins and actions); nothing installation-wide done by someone else.
   */
  readonly visibleTo?: { readonly services: readonly string[]; readonly actor: string } | undefined
  readonly limit: number
}

export interface SafeListEntry {
  readonly destination: string
  readonly reason: string
  readonly addedBy: string
  readonly addedAt: number
}

/** What an entity (an app's user id) has on one service. */
export interface EntityFacts {
  readonly serviceId: string
  readonly totpFactors: number
  readonly passkeys: number
  readonly recoveryCodes: number
  readonly recoveryCases: readonly {
    readonly id: string
    readonly status: string
    readonly createdAt: number
  }[]
}

export interface SupportStore {
  /** False when the email is taken. */
  insertStaff(staff: StaffMember): Promise<boolean>
  getStaff(id: string): Promise<StaffMember | undefined>
  getStaffByEmail(email: string): Promise<StaffMember | undefined>
  listStaff(): Promise<StaffMember[]>
  /** False when there is no such staff member. */
  updateStaff(
    id: string,
    patch: {
      readonly role?: StaffRole
      readonly disabledAt?: number | null
      readonly passwordHash?: string
      readonly lastLoginAt?: number
      readonly updatedAt: number
    },
  ): Promise<boolean>

  insertSession(session: StaffSession): Promise<void>
  getSession(tokenHash: string): Promise<StaffSession | undefined>
  touchSession(tokenHash: string, now: number): Promise<void>
  revokeSession(tokenHash: string, now: number): Promise<void>
  /** Signs a staff member out everywhere (disabled, role changed). */
  revokeSessionsOf(staffId: string, now: number): Promise<void>

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>
  /** Newest first. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>

  /** Adds or replaces the entry. */
  putSafe(entry: SafeListEntry): Promise<void>
  /** False when the destination was not on the list. */
  removeSafe(destination: string): Promise<boolean>
  getSafe(destination: string): Promise<SafeListEntry | undefined>
  listSafe(limit: number): Promise<SafeListEntry[]>

  /**
   * The newest `limit` events of a destination (any verification, and refused starts), oldest
   * first, optionally of some services only (narrowed before the limit).
   */
  listEventsByDestination(
    destination: string,
    limit: number,
    serviceIds?: readonly string[],
  ): Promise<VerificationEvent[]>
  /** What each service knows of an entity id; empty when none does. */
  findEntity(entityId: string): Promise<EntityFacts[]>
}
