/**
 * @module The response hook that writes administration through the API (native and Twilio) to the
 * console's audit log: the action the route's auth hook attached (`request.apiAudit`), what it was
 * done to (the path's ids, or the id a create made), and the key that did it (`api-key <id>`).
 * Only successful requests are recorded; the write is awaited before the answer leaves, so a caller
 * that has its answer can find the entry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { apiKeyActor } from '../support/api-audit.js'
import type { AuditLog } from '../support/audit.js'

/** What a request acted on: the id a create made, else the ids of its path (`svc_1`, `VA../RK..`). */
function targetOf(request: FastifyRequest): string | null {
  if (request.apiAudit?.target) return request.apiAudit.target
  const values = Object.values((request.params ?? {}) as Record<string, unknown>).filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  )
  return values.length > 0 ? values.join('/') : null
}

export function installApiAudit(
  app: FastifyInstance,
  audit: Pick<AuditLog, 'record'>,
  log: { error(obj: object, msg: string): void },
): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const intent = request.apiAudit
    const key = request.apiKey
    if (!intent || !key || reply.statusCode >= 400) return payload
    try {
      await audit.record(apiKeyActor(key, request.ip), intent.action, {
        target: targetOf(request),
        serviceId: intent.serviceId ?? null,
        details: {
          method: request.method,
          route: request.routeOptions.url ?? null,
          status: reply.statusCode,
          key_name: key.name,
          request_id: request.id,
          ...intent.details,
        },
      })
    } catch (err) {
      // The change is made; failing the answer would only make the caller retry it.
      log.error({ err, action: intent.action }, 'audit log write failed')
    }
    return payload
  })
}
