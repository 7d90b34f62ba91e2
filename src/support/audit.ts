/** @module The audit log: who did what, when, why and to what, for every console sign-in and staff action. */
import { AppError } from '../errors/app-error.js'
import type { Clock } from '../shared/clock.js'
import type { StaffRole } from './roles.js'
import type { AuditEntry, AuditFilter, SupportStore } from './store.js'

/** Every action the audit log records. Stable: filters and reports use them. */
export const AUDIT_ACTIONS = [
  'console.login',
  'console.login_failed',
  'console.logout',
  /** A signed-in member tried an action their role does not allow (a viewer posting a resend). */
  'console.forbidden',
  'number.reveal',
  'limit.lift',
  /** A fraud-guard block (number range, country or client IP) lifted from the console. */
  'fraud.lift',
  'verification.resend',
  'verification.cancel',
  'safe_list.add',
  'safe_list.remove',
  'recovery.request',
  'staff.add',
  'staff.role',
  'staff.disable',
  'staff.enable',
  // Administration through the API (docs/privacy.md): the actor is `api-key <key id>`.
  'api_key.create',
  'api_key.revoke',
  'service.create',
  'service.update',
  'service.delete',
  'service.return_url_secret_read',
  'webhook.set',
  'webhook.delete',
  'webhook.rotate_secret',
  'recovery.approve',
  'recovery.cancel',
  'recovery.complete',
  'rate_limit.create',
  'rate_limit.update',
  'rate_limit.delete',
  'rate_limit_bucket.create',
  'rate_limit_bucket.update',
  'rate_limit_bucket.delete',
  // Subject requests (API, CLI or console): the target is the person's pseudonym, never the number.
  'subject.export',
  'subject.erase',
  // The retention sweep's summary of what it pseudonymised (actor `retention`).
  'retention.sweep',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value)
}

/** Whoever the log names: a staff member, or someone who failed to sign in (`role: 'anonymous'`). */
export interface AuditActor {
  readonly name: string
  /** `api_key` for administration through the API, `system` for the worker and the CLI. */
  readonly role: StaffRole | 'anonymous' | 'api_key' | 'system'
  readonly ip: string | null
}

/** Who is acting: the audit name (staff email, `api-key <id>` or `cli`), the role and the client IP. */
export interface Actor extends AuditActor {
  readonly role: StaffRole
}

export const REASON_MAX_LENGTH = 500

/**
 * The reason an action needs, trimmed.
 * @throws AppError VALIDATION_FAILED (field `reason`) when it is missing, blank or too long
 */
export function requireReason(reason: string | undefined): string {
  const r = (reason ?? '').trim()
  if (r.length === 0) {
    throw new AppError('VALIDATION_FAILED', {
      message:
        'Give a reason for this action (for example the ticket number and what the person asked for); it is kept in the audit log.',
      details: { field: 'reason' },
    })
  }
  if (r.length > REASON_MAX_LENGTH) {
    throw new AppError('VALIDATION_FAILED', {
      message: `Keep the reason under ${REASON_MAX_LENGTH} characters.`,
      details: { field: 'reason' },
    })
  }
  return r
}

export class AuditLog {
  constructor(private readonly deps: { readonly store: SupportStore; readonly clock: Clock }) {}

  record(
    actor: AuditActor,
    action: AuditAction,
    entry: {
      target?: string | null
      reason?: string | null
      details?: Record<string, unknown>
      /** The service the action concerns, when one (what a member limited to services may see). */
      serviceId?: string | null
    } = {},
  ): Promise<AuditEntry> {
    return this.deps.store.appendAudit({
      at: this.deps.clock.now(),
      actor: actor.name,
      actorRole: actor.role,
      action,
      target: entry.target ?? null,
      reason: entry.reason ?? null,
      details: entry.details ?? {},
      ip: actor.ip,
      serviceId: entry.serviceId ?? null,
    })
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.deps.store.listAudit(filter)
  }
}
