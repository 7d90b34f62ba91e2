/** @module KyselyAccountRecoveryStore: recovery cases and their append-only event log, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import {
  type AccountRecoveryStore,
  isRecoveryCaseStatus,
  isRecoveryEventType,
  type NewRecoveryEvent,
  type RecoveryCase,
  type RecoveryCasePatch,
  type RecoveryCaseStatus,
  type RecoveryContacts,
  type RecoveryEvent,
} from '../factors/account-recovery-store.js'
import type { AccountRecoveryCaseTable, AccountRecoveryEventTable, Database } from './schema.js'

export function toRecoveryCase(r: Selectable<AccountRecoveryCaseTable>): RecoveryCase {
  if (!isRecoveryCaseStatus(r.status)) throw new Error(`recovery case ${r.id}: unknown status "${r.status}"`)
  return {
    id: r.id,
    serviceId: r.service_id,
    entityId: r.entity_id,
    status: r.status,
    reason: r.reason,
    requestedBy: r.requested_by,
    contacts: JSON.parse(r.contacts) as RecoveryContacts,
    approvedBy: r.approved_by,
    effectiveAt: r.effective_at === null ? null : Number(r.effective_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  }
}

export function toRecoveryEvent(r: Selectable<AccountRecoveryEventTable>): RecoveryEvent {
  if (!isRecoveryEventType(r.type)) throw new Error(`recovery event ${r.id}: unknown type "${r.type}"`)
  return {
    id: Number(r.id),
    caseId: r.case_id,
    type: r.type,
    actor: r.actor,
    reason: r.reason,
    at: Number(r.at),
    data: JSON.parse(r.data) as Record<string, unknown>,
  }
}

function fromEvent(e: NewRecoveryEvent) {
  return {
    case_id: e.caseId,
    type: e.type,
    actor: e.actor,
    reason: e.reason,
    at: e.at,
    data: JSON.stringify(e.data),
  }
}

export class KyselyAccountRecoveryStore implements AccountRecoveryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: RecoveryCase, event: NewRecoveryEvent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('account_recovery_cases')
        .values({
          id: c.id,
          service_id: c.serviceId,
          entity_id: c.entityId,
          status: c.status,
          reason: c.reason,
          requested_by: c.requestedBy,
          contacts: JSON.stringify({ phones: c.contacts.phones, emails: c.contacts.emails }),
          approved_by: c.approvedBy,
          effective_at: c.effectiveAt,
          created_at: c.createdAt,
          updated_at: c.updatedAt,
          finished_at: c.finishedAt,
        })
        .execute()
      await trx.insertInto('account_recovery_events').values(fromEvent(event)).execute()
    })
  }

  async get(caseId: string): Promise<RecoveryCase | undefined> {
    const row = await this.db
      .selectFrom('account_recovery_cases')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirst()
    return row && toRecoveryCase(row)
  }

  async list(serviceId: string, entityId: string): Promise<RecoveryCase[]> {
    const rows = await this.db
      .selectFrom('account_recovery_cases')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toRecoveryCase)
  }

  async transition(
    caseId: string,
    from: readonly RecoveryCaseStatus[],
    patch: RecoveryCasePatch,
    event: NewRecoveryEvent,
  ): Promise<RecoveryCase | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // The status guard is the compare-and-set: of racing transitions out of one status, one applies.
      const row = await trx
        .updateTable('account_recovery_cases')
        .set({
          status: patch.status,
          updated_at: patch.updatedAt,
          ...(patch.approvedBy === undefined ? {} : { approved_by: patch.approvedBy }),
          ...(patch.effectiveAt === undefined ? {} : { effective_at: patch.effectiveAt }),
          ...(patch.finishedAt === undefined ? {} : { finished_at: patch.finishedAt }),
        })
        .where('id', '=', caseId)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      await trx.insertInto('account_recovery_events').values(fromEvent(event)).execute()
      return toRecoveryCase(row)
    })
  }

  async appendEvent(event: NewRecoveryEvent): Promise<void> {
    await this.db.insertInto('account_recovery_events').values(fromEvent(event)).execute()
  }

  async events(caseId: string): Promise<RecoveryEvent[]> {
    const rows = await this.db
      .selectFrom('account_recovery_events')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute()
    return rows.map(toRecoveryEvent)
  }
}
