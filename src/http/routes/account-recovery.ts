/**
 * @module /v1/services/:serviceId/entities/:entityId/recovery and /v1/recovery/:caseId: account
 * recovery when a user has lost every factor. The app's support tooling files a request (`verify`
 * scope, like the factor endpoints); approving, canceling and completing are `admin` steps, so
 * the key that files a request cannot also push it through. Every action needs a `reason`, kept in
 * the case's event log with who did it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { RecoveryCase, RecoveryEvent } from '../../factors/account-recovery.js'
import { type ApiKeyAuth, assertService } from '../auth.js'
import type { HttpContext } from '../http-context.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Public JSON of a recovery case. */
export function recoveryCaseJson(c: RecoveryCase) {
  return {
    id: c.id,
    service_id: c.serviceId,
    entity_id: c.entityId,
    status: c.status,
    reason: c.reason,
    requested_by: c.requestedBy,
    contacts: { phones: c.contacts.phones, emails: c.contacts.emails },
    approved_by: c.approvedBy,
    effective_at: iso(c.effectiveAt),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    finished_at: iso(c.finishedAt),
  }
}

/** Public JSON of one line of a case's log. */
export function recoveryEventJson(e: RecoveryEvent) {
  return { type: e.type, actor: e.actor, reason: e.reason, at: iso(e.at), data: e.data }
}

const id = { type: 'string', minLength: 1, maxLength: 64 } as const
/** The app's own user id, as for factors. */
const entityId = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._~@+=-]*$',
} as const
const reason = { type: 'string', minLength: 1, maxLength: 500 } as const
/** Who did it: a support agent's id or name, as the app knows them. */
const actor = { type: 'string', minLength: 1, maxLength: 128 } as const
const phone = { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' } as const
const email = { type: 'string', maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' } as const

const entityParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId', 'entityId'],
  properties: { serviceId: id, entityId },
} as const
const caseParams = {
  type: 'object',
  additionalProperties: false,
  required: ['caseId'],
  properties: { caseId: id },
} as const
const actionBody = (by: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: [by, 'reason'],
    properties: { [by]: actor, reason },
  }) as const

interface EntityParams {
  serviceId: string
  entityId: string
}
interface CaseParams {
  caseId: string
}
interface RequestBody {
  reason: string
  requested_by: string
  contacts: { phones?: string[]; emails?: string[] }
}

export function registerAccountRecoveryRoutes(
  app: FastifyInstance,
  deps: HttpContext,
  auth: ApiKeyAuth,
): void {
  const verify = auth.require('verify')
  const read = auth.require('read')
  const { accountRecovery } = deps
  /** The case, or its 404 when it does not exist or belongs to a service the key does not reach. */
  const loadCase = async (request: FastifyRequest, caseId: string) => {
    const notFound = {
      code: 'RECOVERY_NOT_FOUND',
      message: `No account recovery case with id "${caseId}".`,
    } as const
    const found = await accountRecovery.get(caseId)
    if (!found) throw new AppError(notFound.code, { message: notFound.message })
    assertService(request, found.serviceId, notFound)
    return found
  }
  const entity = '/v1/services/:serviceId/entities/:entityId/recovery'
  const one = '/v1/recovery/:caseId'

  app.post<{ Params: EntityParams; Body: RequestBody }>(
    entity,
    {
      onRequest: verify,
      schema: {
        tags: ['account recovery'],
        summary: 'Ask for a reset of every sign-in method of an entity (waits for an admin approval)',
        params: entityParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason', 'requested_by', 'contacts'],
          properties: {
            reason,
            requested_by: actor,
            // The notices are the user's chance to stop a reset they did not ask for: at least one contact.
            contacts: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: {
                phones: { type: 'array', minItems: 1, maxItems: 5, items: phone },
                emails: { type: 'array', minItems: 1, maxItems: 5, items: email },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      const created = await accountRecovery.request(serviceId, entityId, {
        reason: request.body.reason,
        requestedBy: request.body.requested_by,
        contacts: request.body.contacts,
      })
      return reply.code(201).send(recoveryCaseJson(created))
    },
  )

  app.get<{ Params: EntityParams }>(
    entity,
    {
      onRequest: read,
      schema: {
        tags: ['account recovery'],
        summary: "The entity's recovery cases, oldest first",
        params: entityParams,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      const cases = await accountRecovery.list(serviceId, entityId)
      return { recovery_cases: cases.map(recoveryCaseJson) }
    },
  )

  app.post<{ Params: CaseParams; Body: { approved_by: string; reason: string } }>(
    `${one}/approve`,
    {
      onRequest: auth.require('admin', { audit: 'recovery.approve' }),
      schema: {
        tags: ['account recovery'],
        summary: 'Approve a reset: the cooling-off starts and every contact is told',
        params: caseParams,
        body: actionBody('approved_by'),
      },
    },
    async (request) => {
      await loadCase(request, request.params.caseId)
      const approved = await accountRecovery.approve(request.params.caseId, {
        approvedBy: request.body.approved_by,
        reason: request.body.reason,
      })
      return recoveryCaseJson(approved)
    },
  )

  app.post<{ Params: CaseParams; Body: { canceled_by: string; reason: string } }>(
    `${one}/cancel`,
    {
      onRequest: auth.require('admin', { audit: 'recovery.cancel' }),
      schema: {
        tags: ['account recovery'],
        summary: 'Cancel a reset that has not taken effect yet',
        params: caseParams,
        body: actionBody('canceled_by'),
      },
    },
    async (request) => {
      await loadCase(request, request.params.caseId)
      const canceled = await accountRecovery.cancel(request.params.caseId, {
        by: request.body.canceled_by,
        reason: request.body.reason,
      })
      return recoveryCaseJson(canceled)
    },
  )

  app.post<{ Params: CaseParams; Body: { completed_by: string; reason: string } }>(
    `${one}/complete`,
    {
      onRequest: auth.require('admin', { audit: 'recovery.complete' }),
      schema: {
        tags: ['account recovery'],
        summary:
          "Complete a reset after its cooling-off: removes the entity's TOTP factors, passkeys and recovery codes",
        params: caseParams,
        body: actionBody('completed_by'),
      },
    },
    async (request) => {
      await loadCase(request, request.params.caseId)
      const completed = await accountRecovery.complete(request.params.caseId, {
        by: request.body.completed_by,
        reason: request.body.reason,
      })
      return recoveryCaseJson(completed)
    },
  )

  app.get<{ Params: CaseParams }>(
    one,
    {
      onRequest: read,
      schema: {
        tags: ['account recovery'],
        summary: 'A recovery case with its event log',
        params: caseParams,
      },
    },
    async (request) => {
      const { caseId } = request.params
      const found = await loadCase(request, caseId)
      const events = await accountRecovery.events(caseId)
      return { ...recoveryCaseJson(found), events: events.map(recoveryEventJson) }
    },
  )
}
