/**
 * @module SupportActions: what support staff can do for a person, each checked against the role,
 * each needing a reason, and each written to the audit log with its outcome (done, or refused with
 * the error code), so the log also shows attempts that the limits or the state refused.
 */
import type { Channel } from '../channels/channel.js'
import { AppError } from '../errors/app-error.js'
import type { AccountRecovery, RecoveryCase } from '../factors/account-recovery.js'
import type { FraudGuard } from '../fraud/fraud-guard.js'
import type { FraudMark } from '../fraud/fraud-store.js'
import type { CounterLimit, VerificationLimits } from '../limits/verification-limits.js'
import type { Clock } from '../shared/clock.js'
import type { VerificationStore } from '../verification/store.js'
import type { Verification } from '../verification/verification.js'
import type { Verifier } from '../verification/verifier.js'
import { type Actor, type AuditAction, type AuditLog, requireReason } from './audit.js'
import { type ConsolePermission, can } from './roles.js'
import type { SupportStore } from './store.js'

export interface SupportActionsDeps {
  readonly store: SupportStore
  readonly audit: AuditLog
  readonly clock: Clock
  readonly verifier: Pick<Verifier, 'resend' | 'cancel' | 'get'>
  readonly verifications: Pick<VerificationStore, 'listByDestination'>
  readonly limits: Pick<VerificationLimits, 'liftForDestination'>
  readonly accountRecovery: Pick<AccountRecovery, 'request'>
  /** The SMS-pumping guard, whose blocks support can lift. */
  readonly fraud?: Pick<FraudGuard, 'lift'> | undefined
  /** The routes that can carry a channel to a country, in routing order. */
  readonly routes: {
    candidates(channel: Channel, country: string | null): readonly { readonly id: string }[]
  }
}

/** @throws AppError CONSOLE_ROLE_FORBIDDEN when the role lacks the permission */
export function assertCan(actor: Pick<Actor, 'role'>, permission: ConsolePermission): void {
  if (!can(actor.role, permission)) {
    const needs = can('support', permission) ? 'support or admin' : 'an admin'
    throw new AppError('CONSOLE_ROLE_FORBIDDEN', {
      message: `Your role (${actor.role}) cannot do this; it needs ${needs}. Ask an admin if you need it.`,
      details: { role: actor.role, needs: permission },
    })
  }
}

export class SupportActions {
  constructor(private readonly deps: SupportActionsDeps) {}

  /** Runs `fn` and audits it as done, or as refused with the error code (then rethrows). */
  private async audited<T>(
    actor: Actor,
    action: AuditAction,
    target: string,
    reason: string,
    details: Record<string, unknown>,
    fn: () => Promise<{ value: T; details?: Record<string, unknown>; serviceId?: string }>,
    /** The service the action concerns, when known before it runs (what scoped staff may see). */
    serviceId: string | null = null,
  ): Promise<T> {
    try {
      const { value, details: more, serviceId: found } = await fn()
      await this.deps.audit.record(actor, action, {
        target,
        reason,
        details: { ...details, ...more, outcome: 'done' },
        serviceId: found ?? serviceId,
      })
      return value
    } catch (err) {
      if (err instanceof AppError) {
        await this.deps.audit.record(actor, action, {
          target,
          reason,
          details: { ...details, outcome: 'refused', error_code: err.code, error: err.message },
          serviceId,
        })
      }
      throw err
    }
  }

  /** Shows a full number; the reveal itself is the audited action. */
  async reveal(actor: Actor, destination: string, reason: string | undefined): Promise<string> {
    assertCan(actor, 'reveal')
    const why = requireReason(reason)
    await this.deps.audit.record(actor, 'number.reveal', {
      target: destination,
      reason: why,
      details: { outcome: 'done' },
    })
    return destination
  }

  /** Clears every limit counter that applies to the destination (sends; checks and number range per service). */
  async liftLimits(actor: Actor, destination: string, reason: string | undefined): Promise<CounterLimit[]> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    const [verifications, events] = await Promise.all([
      this.deps.verifications.listByDestination(destination, 50),
      this.deps.store.listEventsByDestination(destination, 200),
    ])
    const serviceIds = [
      ...new Set([...verifications.map((v) => v.serviceId), ...events.map((e) => e.serviceId)]),
    ]
    return this.audited(actor, 'limit.lift', destination, why, { services: serviceIds }, async () => {
      const lifted = await this.deps.limits.liftForDestination(destination, serviceIds)
      return { value: lifted, details: { limits: lifted } }
    })
  }

  /**
   * Lifts a fraud-guard block (`key` as listed on the Fraud guard page): new starts to the range,
   * country or IP go ahead again and it is not judged for `fraud.liftSeconds`.
   * @throws AppError FRAUD_BLOCK_NOT_FOUND when the block has already ended
   */
  async liftFraudBlock(actor: Actor, key: string, reason: string | undefined): Promise<FraudMark> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    const fraud = this.deps.fraud
    if (!fraud)
      throw new AppError('FRAUD_BLOCK_NOT_FOUND', { message: 'The fraud guard is not running here.' })
    return this.audited(actor, 'fraud.lift', key, why, {}, async () => {
      const lift = await fraud.lift(key, actor.name, why)
      return {
        value: lift,
        serviceId: lift.serviceId,
        details: {
          service: lift.serviceId,
          dimension: lift.dimension,
          value: lift.value,
          evidence: lift.evidence ?? null,
          until: lift.until,
        },
      }
    })
  }

  /**
   * Sends the same code again, on the verification's channel or another one the service allows,
   * and on `route` when given (the channel's other routes are kept out of this send).
   * @throws AppError VALIDATION_FAILED when `route` cannot carry that channel to the number's country
   */
  async resend(
    actor: Actor,
    verificationId: string,
    channel: Channel | undefined,
    reason: string | undefined,
    route?: string,
  ): Promise<Verification> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    return this.audited(
      actor,
      'verification.resend',
      verificationId,
      why,
      { channel: channel ?? null, route: route ?? null },
      async () => {
        let avoidRoutes: string[] | undefined
        if (route) {
          const current = await this.deps.verifier.get(verificationId)
          const on = channel ?? current.channel
          const ids = this.deps.routes.candidates(on, current.country).map((r) => r.id)
          if (!ids.includes(route)) {
            throw new AppError('VALIDATION_FAILED', {
              message: `Route "${route}" does not carry ${on} to this number${current.country ? ` (${current.country})` : ''}; its routes are: ${ids.join(', ') || 'none'}.`,
              details: { field: 'route', allowed: ids },
            })
          }
          avoidRoutes = ids.filter((id) => id !== route)
        }
        const v = await this.deps.verifier.resend(verificationId, { channel, avoidRoutes })
        return { value: v, details: { send_count: v.sendCount } }
      },
      await this.serviceOf(verificationId),
    )
  }

  async cancel(actor: Actor, verificationId: string, reason: string | undefined): Promise<Verification> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    return this.audited(
      actor,
      'verification.cancel',
      verificationId,
      why,
      {},
      async () => ({ value: await this.deps.verifier.cancel(verificationId) }),
      await this.serviceOf(verificationId),
    )
  }

  /** A verification's service, or null when there is no such verification (the action will say so). */
  private async serviceOf(verificationId: string): Promise<string | null> {
    const v = await this.deps.verifier.get(verificationId).catch(() => undefined)
    return v?.serviceId ?? null
  }

  async safeListAdd(actor: Actor, destination: string, reason: string | undefined): Promise<void> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    await this.audited(actor, 'safe_list.add', destination, why, {}, async () => {
      await this.deps.store.putSafe({
        destination,
        reason: why,
        addedBy: actor.name,
        addedAt: this.deps.clock.now(),
      })
      return { value: undefined }
    })
  }

  async safeListRemove(actor: Actor, destination: string, reason: string | undefined): Promise<boolean> {
    assertCan(actor, 'act')
    const why = requireReason(reason)
    return this.audited(actor, 'safe_list.remove', destination, why, {}, async () => {
      const removed = await this.deps.store.removeSafe(destination)
      return { value: removed, details: { was_listed: removed } }
    })
  }

  /** Opens an account-recovery case (it still needs approval and its cooling-off; see AccountRecovery). */
  async requestRecovery(
    actor: Actor,
    input: {
      serviceId: string
      entityId: string
      reason: string | undefined
      phones?: readonly string[]
      emails?: readonly string[]
    },
  ): Promise<RecoveryCase> {
    assertCan(actor, 'act')
    const why = requireReason(input.reason)
    return this.audited(
      actor,
      'recovery.request',
      input.entityId,
      why,
      { service_id: input.serviceId },
      async () => {
        const c = await this.deps.accountRecovery.request(input.serviceId, input.entityId, {
          reason: why,
          requestedBy: actor.name,
          contacts: { phones: input.phones ?? [], emails: input.emails ?? [] },
        })
        return { value: c, details: { case_id: c.id } }
      },
      input.serviceId,
    )
  }
}
