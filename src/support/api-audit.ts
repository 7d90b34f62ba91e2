/**
 * @module What an administrative API request leaves in the audit log: the action its route names,
 * what it acted on, and the key that did it (`api-key <id>`, never the secret). The auth hooks of
 * both APIs attach the intent (`request.apiAudit`); one response hook records it when the request
 * succeeded, so a refused or failed request is not logged as done.
 */
import type { ApiKey } from '../auth/api-key.js'
import type { AuditAction, AuditActor } from './audit.js'

/** What an admin route does, attached to its request by the auth hook. */
export interface ApiAuditIntent {
  readonly action: AuditAction
  /** What was acted on when the path does not say it (the id a create made). */
  target?: string
  /** The service acted on (its path's, or the one a create made); absent for installation-wide calls. */
  serviceId?: string
  /** What the change set, when the route says (kept in the entry's details). */
  details?: Record<string, unknown>
}

declare module 'fastify' {
  interface FastifyRequest {
    apiAudit?: ApiAuditIntent
  }
}

/** The audit log's name for a key: its id, which `GET /v1/api-keys` lists; never the secret. */
export function apiKeyActor(key: Pick<ApiKey, 'id'>, ip: string | null): AuditActor {
  return { name: `api-key ${key.id}`, role: 'api_key', ip }
}
