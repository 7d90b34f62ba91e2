/**
 * @module PersonalData: how long numbers and emails are kept, and the subject requests. The
 * worker's sweep pseudonymises destinations of verifications that ended more than
 * `privacy.retentionDays` ago (src/privacy/pseudonym.ts), and the simulator inbox forgets old
 * messages; `export` gathers everything held for one number or email and `erase` pseudonymises it
 * at once (cancelling a pending verification first). Rows are never deleted, so analytics totals
 * stay the same. Every subject request is audited under the person's pseudonym, never the number.
 */
import type { Channel } from '../channels/channel.js'
import { AppError } from '../errors/app-error.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Clock } from '../shared/clock.js'
import type { InboxMessage } from '../simulator/phone-inbox.js'
import type { AuditActor, AuditLog } from '../support/audit.js'
import type { VerificationStore } from '../verification/store.js'
import type { PersonalDataStore, PseudonymisedCounts, SubjectRows } from './personal-data-store.js'
import type { PrivacyConfig } from './privacy-config.js'
import { isPseudonym, pseudonymOf, pseudonymsOf } from './pseudonym.js'

const DAY_MS = 86_400_000

export interface PersonalDataDeps {
  readonly store: PersonalDataStore
  readonly keyring: Pick<Keyring, 'sign' | 'signWithEveryKey'>
  readonly clock: Clock
  readonly config: PrivacyConfig
  readonly verifier: {
    normalizeDestination(channel: Channel, to: string): { destination: string }
    cancel(id: string): Promise<unknown>
  }
  readonly verifications: Pick<VerificationStore, 'listByDestination'>
  readonly audit: Pick<AuditLog, 'record'>
  /** The simulator's phone inbox, when the simulator runs. */
  readonly inbox?:
    | {
        list(opts: { to?: string; limit?: number }): InboxMessage[]
        forget(to: string): number
        forgetBefore(at: number): number
      }
    | undefined
}

/** What `export` returns: the rows of every table that hold the person, and the simulator's messages. */
export interface SubjectExport {
  readonly destination: string
  /** How the person appears once pseudonymised (what a "same person" lookup matches). */
  readonly pseudonym: string
  readonly tables: SubjectRows
  readonly simulatorInbox: readonly InboxMessage[]
}

export interface SweepResult {
  readonly destinations: number
  readonly rows: PseudonymisedCounts
  readonly inboxMessages: number
}

function addCounts(into: Record<string, number>, more: PseudonymisedCounts): void {
  for (const [table, n] of Object.entries(more)) into[table] = (into[table] ?? 0) + n
}

export class PersonalData {
  constructor(private readonly deps: PersonalDataDeps) {}

  /**
   * The stored form of a number (E.164, any country's written form with `+`) or an email.
   * @throws AppError PHONE_NUMBER_INVALID, EMAIL_INVALID, VALIDATION_FAILED (a pseudonym)
   */
  normalize(input: string): string {
    const value = input.trim()
    if (isPseudonym(value)) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'This is already a pseudonym; give the number or email address itself.',
        details: { field: 'destination' },
      })
    }
    return this.deps.verifier.normalizeDestination(value.includes('@') ? 'email' : 'call', value).destination
  }

  /** The person's pseudonym under the newest key. */
  pseudonymOf(destination: string): string {
    return pseudonymOf(this.deps.keyring, destination)
  }

  /** Pseudonymises what is due; called by the worker once a minute. */
  async sweep(): Promise<SweepResult> {
    const now = this.deps.clock.now()
    const cutoff = now - this.deps.config.retentionDays * DAY_MS
    const due = await this.deps.store.dueDestinations(cutoff, this.deps.config.sweepBatch)
    const rows: Record<string, number> = {}
    for (const destination of due) {
      addCounts(
        rows,
        await this.deps.store.pseudonymise(destination, this.pseudonymOf(destination), { before: cutoff }),
      )
    }
    const inboxMessages = this.deps.inbox?.forgetBefore(cutoff) ?? 0
    if (due.length > 0) {
      await this.deps.audit.record({ name: 'retention', role: 'system', ip: null }, 'retention.sweep', {
        details: { destinations: due.length, rows, retention_days: this.deps.config.retentionDays },
      })
    }
    return { destinations: due.length, rows, inboxMessages }
  }

  /** Everything held for one number or email. Audited. */
  async export(input: string, actor: AuditActor): Promise<SubjectExport> {
    const destination = this.normalize(input)
    const pseudonym = this.pseudonymOf(destination)
    const tables = await this.deps.store.rowsOf(destination, pseudonymsOf(this.deps.keyring, destination))
    const simulatorInbox = this.deps.inbox?.list({ to: destination, limit: 1000 }) ?? []
    await this.deps.audit.record(actor, 'subject.export', {
      target: pseudonym,
      details: { rows: Object.fromEntries(Object.entries(tables).map(([t, r]) => [t, r.length])) },
    })
    return { destination, pseudonym, tables, simulatorInbox }
  }

  /**
   * Erases one number or email now: cancels its pending verifications, pseudonymises every row,
   * takes it off the safe list and out of the simulator inbox. Audited under the pseudonym.
   * @throws AppError VALIDATION_FAILED (reason), PHONE_NUMBER_INVALID, EMAIL_INVALID
   */
  async erase(
    input: string,
    actor: AuditActor,
    reason: string,
  ): Promise<{ pseudonym: string; rows: PseudonymisedCounts }> {
    const destination = this.normalize(input)
    const pseudonym = this.pseudonymOf(destination)
    for (const v of await this.deps.verifications.listByDestination(destination, 1000)) {
      if (v.status === 'pending') await this.deps.verifier.cancel(v.id)
    }
    const rows: Record<string, number> = {}
    addCounts(rows, await this.deps.store.pseudonymise(destination, pseudonym, {}))
    rows.safe_list = (await this.deps.store.removeFromSafeList(destination)) ? 1 : 0
    rows.simulator_inbox = this.deps.inbox?.forget(destination) ?? 0
    // A reason typed with the number in it must not put it straight back.
    const bare = destination.replace(/^\+/, '')
    const said = reason.split(destination).join(pseudonym).split(bare).join(pseudonym)
    await this.deps.audit.record(actor, 'subject.erase', {
      target: pseudonym,
      reason: said,
      details: { rows },
    })
    return { pseudonym, rows }
  }
}
