/**
 * @module The app server's side of the client API (docs/client-api.md): POST /v1/client-tokens mints
 * a short-lived browser token for one verification session, GET /v1/client-sessions/{id} reads its
 * outcome. Only this server-side answer is to be trusted, never the browser's word.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import type { ClientSession } from '../../client/client-session.js'
import { CLIENT_TOKEN_TTL } from '../../client/client-sessions.js'
import { SUPPORTED_LOCALES } from '../../delivery/templates/locales.js'
import { type ApiKeyAuth, assertService } from '../auth.js'
import type { HttpContext } from '../http-context.js'

const iso = (ms: number) => new Date(ms).toISOString()

/** The page the browser opens: `<publicUrl or the request's origin>/verify/<token>`. */
export function resumeUrl(deps: HttpContext, request: FastifyRequest, token: string): string {
  const base = deps.config.publicUrl ?? `${request.protocol}://${request.host}`
  return `${base.replace(/\/+$/, '')}/verify/${token}`
}

/** The session's outcome for the app's server. */
export function clientSessionResultJson(s: ClientSession) {
  return s.resultFactor !== null && s.resultAt !== null
    ? { approved: true as const, factor: s.resultFactor, at: iso(s.resultAt) }
    : null
}

/**
 * The first language of an OpenID-style `ui_locales` list ("es-MX pt en", most preferred first)
 * that the page and the messages speak; undefined when none is.
 */
export function localeFromUiLocales(list: string | undefined): string | undefined {
  for (const tag of list?.split(/\s+/) ?? []) {
    const lang = tag.toLowerCase().split(/[-_]/)[0]
    if (lang && (SUPPORTED_LOCALES as readonly string[]).includes(lang)) return lang
  }
  return undefined
}

interface MintBody {
  service_id: string
  entity_id?: string
  to?: string
  channel?: Channel
  locale?: string
  ui_locales?: string
  default_country?: string
  ttl_seconds?: number
  allow_enrolment?: boolean
  verification_id?: string
}

export function registerClientTokenRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const { clientSessions } = deps

  app.post<{ Body: MintBody }>(
    '/v1/client-tokens',
    {
      onRequest: auth.require('verify'),
      schema: {
        tags: ['client'],
        summary: "Mint a short-lived client token for the end user's browser (hosted page or widget)",
        description:
          'The token (`vct_...`) is shown only in this answer and is the only credential the browser gets: it reaches one verification session of one service. `entity_id` enables authenticator factors; `allow_enrolment` also lets it add new ones (give it only to a signed-in user). `verification_id` hands the browser a verification your server started, to show, check and resend (never cancel): a session never joins a verification just because it names the same number.',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['service_id'],
          properties: {
            service_id: { type: 'string', minLength: 1, maxLength: 64 },
            entity_id: {
              type: 'string',
              minLength: 1,
              maxLength: 128,
              pattern: '^[A-Za-z0-9][A-Za-z0-9._~@+=-]*$',
            },
            to: { type: 'string', minLength: 1, maxLength: 254 },
            channel: { type: 'string', enum: CHANNELS },
            locale: { type: 'string', pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$' },
            ui_locales: {
              type: 'string',
              maxLength: 200,
              pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*( +[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*)*$',
              description:
                "The person's languages, most preferred first, space-separated (as OpenID Connect `ui_locales`): the first one verigate speaks becomes the page's language. `locale` wins when both are given.",
            },
            default_country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
            ttl_seconds: { type: 'integer', minimum: CLIENT_TOKEN_TTL.min, maximum: CLIENT_TOKEN_TTL.max },
            allow_enrolment: { type: 'boolean' },
            verification_id: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body
      assertService(request, b.service_id)
      const { session, token } = await clientSessions.mint({
        serviceId: b.service_id,
        entityId: b.entity_id,
        to: b.to,
        channel: b.channel,
        locale: b.locale ?? localeFromUiLocales(b.ui_locales),
        defaultCountry: b.default_country,
        ttlSeconds: b.ttl_seconds,
        allowEnrolment: b.allow_enrolment,
        verificationId: b.verification_id,
      })
      // The token is in this answer: no cache may keep it.
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({
        session_id: session.id,
        token,
        expires_at: iso(session.expiresAt),
        resume_url: resumeUrl(deps, request, token),
      })
    },
  )

  app.get<{ Params: { session_id: string } }>(
    '/v1/client-sessions/:session_id',
    {
      onRequest: auth.require('read'),
      schema: {
        tags: ['client'],
        summary: 'Read the outcome of a client session: approved or not, and by which factor',
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['session_id'],
          properties: { session_id: { type: 'string', minLength: 1, maxLength: 64 } },
        },
      },
    },
    async (request) => {
      const s = await clientSessions.get(request.params.session_id)
      assertService(request, s.serviceId, {
        code: 'CLIENT_SESSION_NOT_FOUND',
        message: `No client session with id "${request.params.session_id}".`,
      })
      return {
        session_id: s.id,
        service_id: s.serviceId,
        entity_id: s.entityId,
        verification_id: s.verificationId,
        result: clientSessionResultJson(s),
        expires_at: iso(s.expiresAt),
      }
    },
  )
}
