/**
 * @module HTTP Basic authentication as the Twilio SDK sends it: the username is the AccountSid (or
 * an `SK…` API key sid, with `accountSid` given to the SDK) derived from a verigate API key id, and
 * the password is the verigate API key itself (`vgk_…`). Every failure is Twilio's 401 / 20003.
 */
import type { FastifyRequest } from 'fastify'
import { type ApiKey, type ApiKeyScope, hasScope, parseToken, reachesService } from '../auth/api-key.js'
import type { ApiKeys } from '../auth/api-keys.js'
import { twilioAccountSid, twilioApiKeySid } from '../auth/twilio-aliases.js'
import { AppError } from '../errors/app-error.js'
import type { AuditAction } from '../support/audit.js'
import { authenticate, notFound, TwilioError } from './errors.js'
import { idFromSid } from './sids.js'

/** Splits `Authorization: Basic base64(user:pass)`, or undefined when the header is not that. */
export function parseBasicAuth(
  header: string | undefined,
): { username: string; password: string } | undefined {
  if (!header) return undefined
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** Who made a request: the verigate key and the AccountSid the answers carry. */
export interface TwilioPrincipal {
  readonly key: ApiKey
  readonly accountSid: string
}

/** The `VA…` sid of the service a `/Services/{sid}...` route names, if it names one. */
function serviceSidParam(request: FastifyRequest): string | undefined {
  const url = request.routeOptions.url ?? ''
  const params = request.params as Record<string, string | undefined>
  if (/\/Services\/:sid(\/|$)/.test(url)) return params.sid
  if (/\/Services\/:serviceSid(\/|$)/.test(url)) return params.serviceSid
  return undefined
}

/** The path Twilio names in 20404 messages (as `resourcePath` in context.ts). */
function resourcePathOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? ''
  return path.startsWith('/v2/') ? path.slice(3) : path
}

const principals = new WeakMap<FastifyRequest, TwilioPrincipal>()

/** The principal `require` attached to the request. @throws TwilioError 20003 if none (route without auth). */
export function principalOf(request: FastifyRequest): TwilioPrincipal {
  const p = principals.get(request)
  if (!p) throw authenticate()
  return p
}

export class TwilioAuth {
  /** The process's one `ApiKeys`: a key revoked through any surface stops working here at once. */
  constructor(private readonly keys: ApiKeys) {}

  /** @throws TwilioError 401 / 20003 on any credential problem (one answer, so nothing leaks). */
  async authenticate(header: string | undefined): Promise<TwilioPrincipal> {
    const basic = parseBasicAuth(header)
    const parsed = basic ? parseToken(basic.password) : undefined
    if (!basic || !parsed) throw authenticate()
    let key: ApiKey
    try {
      // Hashed, constant-time secret compare and the revocation check, exactly as the native API.
      key = await this.keys.authenticate(basic.password)
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAUTHORIZED') throw authenticate()
      throw err
    }
    const accountSid = twilioAccountSid(key.id)
    // Hex digits in either case name the same sid, as Twilio's own patterns allow.
    const username = `${basic.username.slice(0, 2)}${basic.username.slice(2).toLowerCase()}`
    if (username !== accountSid && username !== twilioApiKeySid(key.id)) throw authenticate()
    return { key, accountSid }
  }

  /**
   * An onRequest hook requiring a key with `scope` (admin covers all; verify covers read). Keeps
   * tenants apart as the native API does: a key limited to services gets Twilio's 20404 for a
   * `/Services/{sid}` path of another service, and 403 / 20403 (`API_KEY_SERVICE_SCOPED`) on
   * `global` endpoints. Every admin route names the audit action it records.
   */
  require(scope: 'read' | 'verify', opts?: { global?: boolean }): (request: FastifyRequest) => Promise<void>
  require(
    scope: 'admin',
    opts: { global?: boolean; audit: AuditAction | false },
  ): (request: FastifyRequest) => Promise<void>
  require(scope: ApiKeyScope, opts: { global?: boolean; audit?: AuditAction | false } = {}) {
    return async (request: FastifyRequest) => {
      const principal = await this.authenticate(request.headers.authorization)
      const { key } = principal
      if (!hasScope(key.scopes, scope)) {
        throw new TwilioError(403, 20403, 'Forbidden', {
          details: {
            reason: `This API key lacks the "${scope}" scope; it has: ${key.scopes.join(', ')}.`,
          },
        })
      }
      if (key.services !== null) {
        if (opts.global) {
          throw new TwilioError(403, 20403, 'Forbidden', {
            details: {
              code: 'API_KEY_SERVICE_SCOPED',
              reason:
                'This API key is limited to some services, and this endpoint administers the whole installation; use a global admin key.',
            },
          })
        }
        const sid = serviceSidParam(request)
        if (sid !== undefined) {
          const id = idFromSid('VA', sid)
          if (!id || !reachesService(key, id)) throw notFound(resourcePathOf(request))
        }
      }
      request.apiKey = key
      if (opts.audit) {
        const sid = serviceSidParam(request)
        const serviceId = sid === undefined ? undefined : idFromSid('VA', sid)
        request.apiAudit = serviceId ? { action: opts.audit, serviceId } : { action: opts.audit }
      }
      principals.set(request, principal)
    }
  }
}
