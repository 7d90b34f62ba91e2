/**
 * @module AccountRecovery: the way back in when a user has lost every factor. Support files a
 * request, a second step approves it, and the reset only takes effect after a cooling-off period
 * during which every contact the user still has is told and the reset can be canceled. Completing
 * it deletes the entity's TOTP factors, passkeys and recovery codes. Every step is appended to the
 * case's event log (who, what, when, why).
 */
import { AppError } from '../errors/app-error.js'
import type { Service } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import type {
  AccountRecoveryStore,
  NewRecoveryEvent,
  RecoveryCase,
  RecoveryContacts,
  RecoveryEvent,
} from './account-recovery-store.js'
import type { Notice, Notifier } from './notifier.js'
import type { RecoveryCodeStore } from './store.js'

export type {
  RecoveryCase,
  RecoveryCaseStatus,
  RecoveryContacts,
  RecoveryEvent,
} from './account-recovery-store.js'

export interface AccountRecoveryConfig {
  /** Seconds from approval until the reset may be completed. @default 86400 */
  readonly coolingOffSeconds: number
}

/** The factor kinds a completed reset removes, each through its own domain object or store. */
export interface AccountRecoveryDeps {
  readonly store: AccountRecoveryStore
  readonly clock: Clock
  readonly notifier: Notifier
  /** Service lookup (the `ServiceDirectory`): cases exist only for an existing service. */
  readonly services: { get(id: string): Promise<Service | undefined> }
  /** `TotpFactors`. */
  readonly totpFactors: {
    list(serviceId: string, entityId: string): Promise<Array<{ readonly id: string }>>
    delete(serviceId: string, entityId: string, factorId: string): Promise<boolean>
  }
  /** `Passkeys`. */
  readonly passkeys: {
    list(serviceId: string, entityId: string): Promise<Array<{ readonly id: string }>>
    delete(serviceId: string, entityId: string, credentialId: string): Promise<boolean>
  }
  /** Recovery codes are revoked by replacing the set with an empty one. */
  readonly recoveryCodes: Pick<RecoveryCodeStore, 'list' | 'replaceSet'>
}

/** `rec_` + 24 base32 characters: its millisecond, then 75 random bits (`newId`). */
export function newRecoveryCaseId(): string {
  return newId('recoveryCase')
}

/** The actor of steps the system takes on someone's behalf (notices, removals). */
export const SYSTEM_ACTOR = 'system'

/** `2026-01-02 15:04 UTC`: unambiguous for a reader anywhere, whatever their locale. */
export function formatNoticeTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function approvalNoticeText(brand: string, effectiveAt: number): string {
  return `A reset of your ${brand} sign-in methods was approved and takes effect at ${formatNoticeTime(effectiveAt)}. If this was not you, contact support now.`
}

export function cancelNoticeText(brand: string): string {
  return `The reset of your ${brand} sign-in methods was canceled. Your sign-in methods are unchanged.`
}

export class AccountRecovery {
  constructor(
    private readonly deps: AccountRecoveryDeps,
    private readonly config: AccountRecoveryConfig,
  ) {}

  /**
   * Opens a case, waiting for approval. Contacts are deduplicated; nothing is sent yet.
   * @throws AppError SERVICE_NOT_FOUND
   */
  async request(
    serviceId: string,
    entityId: string,
    input: {
      reason: string
      requestedBy: string
      contacts: { phones?: readonly string[]; emails?: readonly string[] }
    },
  ): Promise<RecoveryCase> {
    await this.requireService(serviceId)
    const now = this.deps.clock.now()
    const contacts: RecoveryContacts = {
      phones: [...new Set(input.contacts.phones ?? [])],
      emails: [...new Set((input.contacts.emails ?? []).map((e) => e.toLowerCase()))],
    }
    const recoveryCase: RecoveryCase = {
      id: newRecoveryCaseId(),
      serviceId,
      entityId,
      status: 'pending_approval',
      reason: input.reason,
      requestedBy: input.requestedBy,
      contacts,
      approvedBy: null,
      effectiveAt: null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    }
    await this.deps.store.insert(recoveryCase, {
      caseId: recoveryCase.id,
      type: 'requested',
      actor: input.requestedBy,
      reason: input.reason,
      at: now,
      data: { phones: contacts.phones.length, emails: contacts.emails.length },
    })
    return recoveryCase
  }

  /**
   * Approves a pending case: it takes effect `coolingOffSeconds` from now, and every contact is
   * told at once (each notice's outcome is logged).
   * @throws AppError RECOVERY_NOT_FOUND, RECOVERY_NOT_PENDING
   */
  async approve(caseId: string, input: { approvedBy: string; reason: string }): Promise<RecoveryCase> {
    await this.require(caseId)
    const now = this.deps.clock.now()
    const effectiveAt = now + this.config.coolingOffSeconds * 1000
    const approved = await this.deps.store.transition(
      caseId,
      ['pending_approval'],
      { status: 'cooling_off', updatedAt: now, approvedBy: input.approvedBy, effectiveAt },
      {
        caseId,
        type: 'approved',
        actor: input.approvedBy,
        reason: input.reason,
        at: now,
        data: { effective_at: effectiveAt },
      },
    )
    if (!approved) throw await this.notPending(caseId, 'approve')
    const brand = await this.brandOf(approved.serviceId)
    await this.notifyAll(approved, approvalNoticeText(brand, effectiveAt), `${brand}: sign-in reset approved`)
    return approved
  }

  /**
   * Cancels a case that has not taken effect yet. When the user had been told of an approval, they
   * are told of the cancellation too.
   * @throws AppError RECOVERY_NOT_FOUND, RECOVERY_NOT_PENDING (canceled, completed, or past `effectiveAt`)
   */
  async cancel(caseId: string, input: { by: string; reason: string }): Promise<RecoveryCase> {
    const current = await this.require(caseId)
    const now = this.deps.clock.now()
    // "Until effective": once the cooling-off is over, the reset stands and only completing it is left.
    if (current.effectiveAt !== null && now >= current.effectiveAt)
      throw await this.notPending(caseId, 'cancel')
    const canceled = await this.deps.store.transition(
      caseId,
      ['pending_approval', 'cooling_off'],
      { status: 'canceled', updatedAt: now, finishedAt: now },
      {
        caseId,
        type: 'canceled',
        actor: input.by,
        reason: input.reason,
        at: now,
        data: { from: current.status },
      },
    )
    if (!canceled) throw await this.notPending(caseId, 'cancel')
    if (current.status === 'cooling_off') {
      const brand = await this.brandOf(canceled.serviceId)
      await this.notifyAll(canceled, cancelNoticeText(brand), `${brand}: sign-in reset canceled`)
    }
    return canceled
  }

  /**
   * Completes an approved case once its cooling-off is over: deletes every TOTP factor, passkey
   * and recovery code of the entity and logs what was removed.
   * @throws AppError RECOVERY_NOT_FOUND, RECOVERY_NOT_PENDING, RECOVERY_COOLING_OFF (with `retry_after`)
   */
  async complete(
    caseId: string,
    input: { by: string; reason?: string | undefined } = { by: SYSTEM_ACTOR },
  ): Promise<RecoveryCase> {
    const current = await this.require(caseId)
    const now = this.deps.clock.now()
    if (current.status !== 'cooling_off' || current.effectiveAt === null)
      throw await this.notPending(caseId, 'complete')
    if (now < current.effectiveAt) {
      const retryAfter = Math.max(1, Math.ceil((current.effectiveAt - now) / 1000))
      throw new AppError('RECOVERY_COOLING_OFF', {
        message: `This reset takes effect at ${new Date(current.effectiveAt).toISOString()}; it cannot be completed before.`,
        details: { retry_after: retryAfter, effective_at: new Date(current.effectiveAt).toISOString() },
        headers: { 'retry-after': String(retryAfter) },
      })
    }
    // Claim the case first: a cancel racing this completion either wins (nothing is deleted) or
    // finds the case completed. Removal follows; its outcome is logged as its own event.
    const completed = await this.deps.store.transition(
      caseId,
      ['cooling_off'],
      { status: 'completed', updatedAt: now, finishedAt: now },
      { caseId, type: 'completed', actor: input.by, reason: input.reason ?? null, at: now, data: {} },
    )
    if (!completed) throw await this.notPending(caseId, 'complete')
    const removed = await this.removeFactors(completed.serviceId, completed.entityId)
    await this.deps.store.appendEvent({
      caseId,
      type: 'factors_removed',
      actor: SYSTEM_ACTOR,
      reason: null,
      at: this.deps.clock.now(),
      data: removed,
    })
    return completed
  }

  async get(caseId: string): Promise<RecoveryCase | undefined> {
    return this.deps.store.get(caseId)
  }

  /** The entity's cases, oldest first. */
  async list(serviceId: string, entityId: string): Promise<RecoveryCase[]> {
    return this.deps.store.list(serviceId, entityId)
  }

  /** The case's log, in order. */
  async events(caseId: string): Promise<RecoveryEvent[]> {
    return this.deps.store.events(caseId)
  }

  private async removeFactors(
    serviceId: string,
    entityId: string,
  ): Promise<{ totp_factors: number; passkeys: number; recovery_codes: number }> {
    let totpFactors = 0
    for (const f of await this.deps.totpFactors.list(serviceId, entityId)) {
      if (await this.deps.totpFactors.delete(serviceId, entityId, f.id)) totpFactors++
    }
    let passkeys = 0
    for (const p of await this.deps.passkeys.list(serviceId, entityId)) {
      if (await this.deps.passkeys.delete(serviceId, entityId, p.id)) passkeys++
    }
    const recoveryCodes = (await this.deps.recoveryCodes.list(serviceId, entityId)).length
    await this.deps.recoveryCodes.replaceSet(serviceId, entityId, [])
    return { totp_factors: totpFactors, passkeys, recovery_codes: recoveryCodes }
  }

  /** One notice per contact, one after another; each outcome is logged, none stops the others. */
  private async notifyAll(c: RecoveryCase, body: string, subject: string): Promise<void> {
    const notices: Notice[] = [
      ...c.contacts.phones.map((to) => ({ channel: 'sms' as const, to, body })),
      ...c.contacts.emails.map((to) => ({ channel: 'email' as const, to, body, subject })),
    ]
    for (const notice of notices) {
      const result = await this.deps.notifier.send(notice)
      const event: NewRecoveryEvent =
        result.status === 'sent'
          ? {
              caseId: c.id,
              type: 'notice_sent',
              actor: SYSTEM_ACTOR,
              reason: null,
              at: this.deps.clock.now(),
              data: {
                channel: notice.channel,
                to: notice.to,
                provider: result.providerId,
                message_id: result.messageId,
              },
            }
          : {
              caseId: c.id,
              type: 'notice_failed',
              actor: SYSTEM_ACTOR,
              reason: null,
              at: this.deps.clock.now(),
              data: { channel: notice.channel, to: notice.to, error: result.error },
            }
      await this.deps.store.appendEvent(event)
    }
  }

  private async brandOf(serviceId: string): Promise<string> {
    const service = await this.deps.services.get(serviceId)
    return service?.brandName ?? service?.name ?? 'account'
  }

  private async requireService(serviceId: string): Promise<Service> {
    const service = await this.deps.services.get(serviceId)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
    return service
  }

  private async require(caseId: string): Promise<RecoveryCase> {
    const found = await this.deps.store.get(caseId)
    if (!found)
      throw new AppError('RECOVERY_NOT_FOUND', { message: `No account recovery case with id "${caseId}".` })
    return found
  }

  private async notPending(caseId: string, step: 'approve' | 'cancel' | 'complete'): Promise<AppError> {
    const now = await this.require(caseId)
    const past =
      now.status === 'cooling_off' && now.effectiveAt !== null && this.deps.clock.now() >= now.effectiveAt
    const why = step === 'cancel' && past ? 'cooling_off and already in effect' : now.status
    return new AppError('RECOVERY_NOT_PENDING', {
      message: `Cannot ${step} account recovery case "${caseId}": it is ${why}.`,
      details: { status: now.status },
    })
  }
}
