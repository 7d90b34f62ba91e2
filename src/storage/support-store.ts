/** @module KyselySupportStore: staff, console sessions, the audit log and the safe list, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import type { VerificationEvent } from '../events/verification-event.js'
import type { StaffRole } from '../support/roles.js'
import type {
  AuditEntry,
  AuditFilter,
  EntityFacts,
  NewAuditEntry,
  SafeListEntry,
  StaffMember,
  StaffSession,
  SupportStore,
} from '../support/store.js'
import { toEvent } from './rows.js'
import type { AuditLogTable, Database, StaffSessionTable, StaffTable } from './schema.js'

function toStaff(r: Selectable<StaffTable>): StaffMember {
  return {
    id: r.id,
    email: r.email,
    role: r.role as StaffRole,
    passwordHash: r.password_hash,
    disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    services: r.service_ids === null ? null : (JSON.parse(r.service_ids) as string[]),
  }
}

function toSession(r: Selectable<StaffSessionTable>): StaffSession {
  return {
    tokenHash: r.token_hash,
    staffId: r.staff_id,
    actor: r.actor,
    role: r.role as StaffRole,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }
}

function toAudit(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(r.id),
    at: Number(r.at),
    actor: r.actor,
    actorRole: r.actor_role,
    action: r.action,
    target: r.target,
    reason: r.reason,
    details: JSON.parse(r.details) as Record<string, unknown>,
    ip: r.ip,
    serviceId: r.service_id ?? null,
  }
}

/** Unique-constraint violations: SQLite `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL `23505`. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

export class KyselySupportStore implements SupportStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertStaff(s: StaffMember): Promise<boolean> {
    try {
      await this.db
        .insertInto('staff')
        .values({
          id: s.id,
          email: s.email,
          role: s.role,
          password_hash: s.passwordHash,
          disabled_at: s.disabledAt,
          last_login_at: s.lastLoginAt,
          created_at: s.createdAt,
          updated_at: s.updatedAt,
          service_ids: s.services === null ? null : JSON.stringify(s.services),
        })
        .execute()
      return true
    } catch (err) {
      if (isUniqueViolation(err)) return false
      throw err
    }
  }

  async getStaff(id: string): Promise<StaffMember | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toStaff(row)
  }

  async getStaffByEmail(email: string): Promise<StaffMember | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst()
    return row && toStaff(row)
  }

  async listStaff(): Promise<StaffMember[]> {
    const rows = await this.db.selectFrom('staff').selectAll().orderBy('email').execute()
    return rows.map(toStaff)
  }

  async updateStaff(
    id: string,
    patch: {
      role?: StaffRole
      disabledAt?: number | null
      passwordHash?: string
      lastLoginAt?: number
      updatedAt: number
    },
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('staff')
      .set({
        updated_at: patch.updatedAt,
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.disabledAt !== undefined ? { disabled_at: patch.disabledAt } : {}),
        ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
        ...(patch.lastLoginAt !== undefined ? { last_login_at: patch.lastLoginAt } : {}),
      })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) > 0
  }

  async insertSession(s: StaffSession): Promise<void> {
    await this.db
      .insertInto('staff_sessions')
      .values({
        token_hash: s.tokenHash,
        staff_id: s.staffId,
        actor: s.actor,
        role: s.role,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        expires_at: s.expiresAt,
        revoked_at: s.revokedAt,
      })
      .execute()
  }

  async getSession(tokenHash: string): Promise<StaffSession | undefined> {
    const row = await this.db
      .selectFrom('staff_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    return row && toSession(row)
  }

  async touchSession(tokenHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: now })
      .where('token_hash', '=', tokenHash)
      .execute()
  }

  async revokeSession(tokenHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ revoked_at: now })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .execute()
  }

  async revokeSessionsOf(staffId: string, now: number): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ revoked_at: now })
      .where('staff_id', '=', staffId)
      .where('revoked_at', 'is', null)
      .execute()
  }

  async appendAudit(e: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.db
      .insertInto('audit_log')
      .values({
        at: e.at,
        actor: e.actor,
        actor_role: e.actorRole,
        action: e.action,
        target: e.target,
        reason: e.reason,
        details: JSON.stringify(e.details),
        ip: e.ip,
        service_id: e.serviceId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { ...e, serviceId: e.serviceId ?? null, id: Number(row.id) }
  }

  async listAudit(f: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll()
    if (f.actor) q = q.where('actor', '=', f.actor)
    if (f.action) q = q.where('action', '=', f.action)
    if (f.target) q = q.where('target', '=', f.target)
    if (f.from !== undefined) q = q.where('at', '>=', f.from)
    if (f.to !== undefined) q = q.where('at', '<', f.to)
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId)
    const only = f.visibleTo
    if (only) {
      q = q.where((eb) =>
        only.services.length > 0
          ? eb.or([eb('service_id', 'in', [...only.services]), eb('actor', '=', only.actor)])
          : eb('actor', '=', only.actor),
      )
    }
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute()
    return rows.map(toAudit)
  }

  async putSafe(e: SafeListEntry): Promise<void> {
    await this.db
      .insertInto('safe_list')
      .values({ destination: e.destination, reason: e.reason, added_by: e.addedBy, added_at: e.addedAt })
      .onConflict((oc) =>
        oc.column('destination').doUpdateSet({ reason: e.reason, added_by: e.addedBy, added_at: e.addedAt }),
      )
      .execute()
  }

  async removeSafe(destination: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('safe_list')
      .where('destination', '=', destination)
      .executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }

  async getSafe(destination: string): Promise<SafeListEntry | undefined> {
    const r = await this.db
      .selectFrom('safe_list')
      .selectAll()
      .where('destination', '=', destination)
      .executeTakeFirst()
    return (
      r && { destination: r.destination, reason: r.reason, addedBy: r.added_by, addedAt: Number(r.added_at) }
    )
  }

  async listSafe(limit: number): Promise<SafeListEntry[]> {
    const rows = await this.db
      .selectFrom('safe_list')
      .selectAll()
      .orderBy('added_at', 'desc')
      .limit(limit)
      .execute()
    return rows.map((r) => ({
      destination: r.destination,
      reason: r.reason,
      addedBy: r.added_by,
      addedAt: Number(r.added_at),
    }))
  }

  async listEventsByDestination(
    destination: string,
    limit: number,
    serviceIds?: readonly string[],
  ): Promise<VerificationEvent[]> {
    if (serviceIds?.length === 0) return []
    // Served by the (destination, at) index.
    let query = this.db.selectFrom('verification_events').selectAll().where('destination', '=', destination)
    if (serviceIds !== undefined) query = query.where('service_id', 'in', serviceIds)
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute()
    return rows.map(toEvent).reverse()
  }

  async findEntity(entityId: string): Promise<EntityFacts[]> {
    const [totp, passkeys, codes, cases] = await Promise.all([
      this.db.selectFrom('totp_factors').select(['service_id']).where('entity_id', '=', entityId).execute(),
      this.db.selectFrom('passkeys').select(['service_id']).where('entity_id', '=', entityId).execute(),
      this.db
        .selectFrom('recovery_codes')
        .select(['service_id'])
        .where('entity_id', '=', entityId)
        .where('used_at', 'is', null)
        .execute(),
      this.db
        .selectFrom('account_recovery_cases')
        .select(['id', 'service_id', 'status', 'created_at'])
        .where('entity_id', '=', entityId)
        .orderBy('created_at', 'desc')
        .execute(),
    ])
    const byService = new Map<
      string,
      {
        totpFactors: number
        passkeys: number
        recoveryCodes: number
        recoveryCases: EntityFacts['recoveryCases'][number][]
      }
    >()
    const entry = (serviceId: string) => {
      let e = byService.get(serviceId)
      if (!e) {
        e = { totpFactors: 0, passkeys: 0, recoveryCodes: 0, recoveryCases: [] }
        byService.set(serviceId, e)
      }
      return e
    }
    for (const r of totp) entry(r.service_id).totpFactors++
    for (const r of passkeys) entry(r.service_id).passkeys++
    for (const r of codes) entry(r.service_id).recoveryCodes++
    for (const r of cases)
      entry(r.service_id).recoveryCases.push({ id: r.id, status: r.status, createdAt: Number(r.created_at) })
    return [...byService.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([serviceId, e]) => ({ serviceId, ...e }))
  }
}
