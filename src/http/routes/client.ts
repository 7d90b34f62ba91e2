/**
 * @module /v1/client/*: the API of the end user's browser (hosted page `/verify/<token>` and the
 * `<verigate-verify>` widget), authenticated by a client token (`vct_...`) only, never an API key.
 * CORS (client-cors.ts, registered around these routes) answers each service's `client_origins`,
 * or any origin (`*`, no credentials) where it has none. See docs/client-api.md.
 */
import { PassThrough } from 'node:stream'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import type { ClientSession } from '../../client/client-session.js'
import type { ClientVerification } from '../../client/client-verification.js'
import type { AuthenticationResponseJSON, Passkey, RegistrationResponseJSON } from '../../factors/passkeys.js'
import { qrPng, qrSvg } from '../../factors/qr.js'
import { analyzePhoneNumber, formatAsYouType } from '../../phone/index.js'
import {
  authenticationResponse,
  codeBody,
  emptyBody,
  PASSKEY_BODY_LIMIT,
  registrationResponse,
} from '../body-schemas.js'
import type { HttpContext } from '../http-context.js'
import { phoneJson } from '../representations.js'
import { clientSessionResultJson, resumeUrl } from './client-tokens.js'

declare module 'fastify' {
  interface FastifyRequest {
    clientSession?: ClientSession
    /** The token as presented, to rebuild the resume URL (it is never stored). */
    clientToken?: string
  }
}

export interface ClientRoutesOptions {
  /** Interval of `: ping` comments on the status stream. @default 15_000 */
  readonly pingMs?: number
}

const iso = (ms: number) => new Date(ms).toISOString()

/** OpenAPI: these endpoints take a client token (`clientToken` in app.ts), never an API key. */
const CLIENT_SECURITY = [{ clientToken: [] }]
const tokenQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 128 } },
} as const
const friendlyName = { type: 'string', minLength: 1, maxLength: 64 } as const

function factorsJson(list: Awaited<ReturnType<HttpContext['clientSessions']['entityFactors']>>) {
  return {
    totp: list.totp.map((f) => ({ id: f.id, friendly_name: f.friendlyName, status: f.status })),
    passkeys: list.passkeys.map(passkeyJson),
    recovery_codes: { remaining: list.recoveryCodesRemaining },
  }
}

function passkeyJson(p: Passkey) {
  return { id: p.id, name: p.friendlyName, created_at: iso(p.createdAt) }
}

export function registerClientRoutes(
  app: FastifyInstance,
  deps: HttpContext,
  opts: ClientRoutesOptions = {},
): void {
  const { clientSessions } = deps
  const pingMs = opts.pingMs ?? 15_000

  /** Bearer header; `?token=` too where `allowQuery` (URLs a browser opens without headers). */
  const authenticate = (allowQuery: boolean) => async (request: FastifyRequest) => {
    const header = request.headers.authorization
    let token = header?.startsWith('Bearer ') ? header.slice(7).trim() : header ? '' : undefined
    if (token === undefined && allowQuery)
      token = (request.query as { token?: unknown }).token as string | undefined
    request.clientSession = await clientSessions.authenticate(typeof token === 'string' ? token : undefined)
    request.clientToken = token
  }
  const onRequest = [authenticate(false)]
  const session = (request: FastifyRequest): ClientSession => request.clientSession!

  app.get(
    '/v1/client/session',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'The session: service, prefill, entity factors, result and current verification',
      },
    },
    async (request, reply) => {
      const view = await clientSessions.view(session(request))
      const s = view.session
      reply.header('cache-control', 'no-store')
      return {
        session_id: s.id,
        expires_at: iso(s.expiresAt),
        resume_url: resumeUrl(deps, request, request.clientToken!),
        locale: s.locale ?? view.service.defaultLocale,
        default_country: s.defaultCountry,
        service: {
          name: view.service.brandName ?? view.service.name,
          channels: view.service.channels,
          fallback_channels: view.service.fallbackChannels ?? [],
        },
        prefill:
          s.prefillTo !== null || s.prefillChannel !== null
            ? { to: s.prefillTo, channel: s.prefillChannel }
            : null,
        entity: view.entityFactors
          ? { factors: view.entityFactors, allow_enrolment: s.allowEnrolment }
          : null,
        result: clientSessionResultJson(s),
        verification: view.verification,
      }
    },
  )

  app.post<{ Body: { number: string; country?: string } }>(
    '/v1/client/phone-analysis',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Analyse a number as typed: valid or not, what is wrong and the suggested fix',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['number'],
          properties: {
            number: { type: 'string', minLength: 1, maxLength: 64 },
            country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
          },
        },
      },
    },
    async (request) => {
      const country = request.body.country?.toUpperCase() ?? session(request).defaultCountry ?? undefined
      return {
        ...phoneJson(
          analyzePhoneNumber(request.body.number, country ? { defaultCountry: country } : undefined),
        ),
        // The digits typed so far, grouped the way the country writes them: the widget formats as
        // the person types without carrying the numbering plans (they would not fit its budget).
        as_you_type: formatAsYouType(request.body.number, country),
      }
    },
  )

  app.post<{ Body: { to: string; channel: Channel; locale?: string } }>(
    '/v1/client/verification',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "Send a code: starts the session's verification (a new number cancels the old code)",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['to', 'channel'],
          properties: {
            to: { type: 'string', minLength: 1, maxLength: 254 },
            channel: { type: 'string', enum: CHANNELS },
            locale: {
              type: 'string',
              pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$',
              description: "The page's language, for the message when the token names none",
            },
          },
        },
      },
    },
    async (request, reply) => {
      const v = await clientSessions.start(session(request), {
        to: request.body.to,
        channel: request.body.channel,
        locale: request.body.locale,
        clientIp: request.ip,
      })
      return reply.code(201).send(v)
    },
  )

  app.get(
    '/v1/client/verification',
    {
      onRequest,
      schema: { tags: ['client'], security: CLIENT_SECURITY, summary: "The session's current verification" },
    },
    async (request) => clientSessions.verification(session(request)),
  )

  app.post<{ Body: { code: string } }>(
    '/v1/client/verification/check',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Check the code; an approval is the session result',
        body: codeBody,
      },
    },
    async (request) => clientSessions.check(session(request), request.body.code.trim()),
  )

  app.post<{ Body: { channel?: Channel } | null }>(
    '/v1/client/verification/resend',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Send the same code again, on another channel when given',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { channel: { type: 'string', enum: CHANNELS } },
        },
      },
    },
    async (request) => clientSessions.resend(session(request), request.body?.channel),
  )

  app.post(
    '/v1/client/verification/cancel',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "Cancel the session's pending verification",
        body: emptyBody,
      },
    },
    async (request) => clientSessions.cancel(session(request)),
  )

  app.get<{ Querystring: { locale?: string } }>(
    '/v1/client/verification/diagnosis',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "Didn't get the code? The likely causes, in the user's words",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            locale: {
              type: 'string',
              pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$',
              description: "The page's language; default the session's locale, then the verification's",
            },
          },
        },
      },
    },
    async (request) => clientSessions.diagnosis(session(request), request.query.locale),
  )

  const streams = new Set<() => void>()
  app.addHook('preClose', (done) => {
    for (const end of [...streams]) end()
    done()
  })

  app.get<{ Querystring: { token?: string } }>(
    '/v1/client/verification/stream',
    {
      onRequest: [authenticate(true)],
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Server-sent events: `status` with the verification at once and after each event',
        querystring: tokenQuery,
      },
    },
    async (request, reply) => {
      const s = session(request)
      // Fastify sends the stream and finishes the reply when it ends (hooks, metrics and logs as usual).
      const res = new PassThrough()
      reply.headers({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      })
      res.write(': connected\n\n')

      let verificationId = s.verificationId
      let last = ''
      let running = false
      let again = false
      let closed = false
      // Reads and sends the status; bursts of events while a read is running make one more read.
      const refresh = async (): Promise<void> => {
        if (closed) return
        if (running) {
          again = true
          return
        }
        running = true
        try {
          do {
            again = false
            const fresh = await clientSessions.reload(s)
            verificationId = fresh.verificationId
            const cv: ClientVerification | undefined = await clientSessions.currentVerification(fresh)
            const json = cv ? JSON.stringify(cv) : ''
            if (cv && json !== last && !closed) {
              last = json
              res.write(`event: status\ndata: ${json}\n\n`)
            }
          } while (again && !closed)
        } catch (err) {
          request.log.warn({ err }, 'client status stream refresh failed')
        } finally {
          running = false
        }
      }
      // Changes made on this instance or another one (a worker delivering the code).
      const offEvents = deps.changes.subscribe((id) => {
        if (id === verificationId) void refresh()
      })
      const offSession = clientSessions.subscribe((id) => {
        if (id === s.id) void refresh()
      })
      const ping = setInterval(() => {
        if (deps.clock.now() >= s.expiresAt) return end()
        res.write(': ping\n\n')
        // A change missed by the feed (a Redis or PostgreSQL hiccup) still shows within a ping.
        void refresh()
      }, pingMs)
      ping.unref()
      const end = () => {
        if (closed) return
        closed = true
        clearInterval(ping)
        offEvents()
        offSession()
        streams.delete(end)
        if (!res.writableEnded) res.end()
      }
      streams.add(end)
      reply.raw.on('close', end)
      void refresh()
      return reply.send(res)
    },
  )

  app.get<{ Querystring: { token?: string } }>(
    '/v1/client/resume.svg',
    {
      onRequest: [authenticate(true)],
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'QR code (SVG) of the resume URL, to continue on another device',
        querystring: tokenQuery,
      },
    },
    async (request, reply) => {
      const svg = await qrSvg(resumeUrl(deps, request, request.clientToken!))
      return reply.header('cache-control', 'no-store').type('image/svg+xml').send(svg)
    },
  )

  app.get(
    '/v1/client/factors',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "The entity's authenticator factors (never a secret)",
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return factorsJson(await clientSessions.entityFactors(session(request)))
    },
  )

  app.post<{ Body: { friendly_name?: string } | null }>(
    '/v1/client/factors/totp',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary:
          'Enrol an authenticator app (needs allow_enrolment); the secret and QR codes are shown only here',
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { friendly_name: friendlyName },
        },
      },
    },
    async (request, reply) => {
      const enrolment = await clientSessions.enrolTotp(session(request), request.body?.friendly_name)
      const png = await qrPng(enrolment.uri)
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({
        factor_id: enrolment.factor.id,
        secret: enrolment.secret,
        uri: enrolment.uri,
        qr_svg: await qrSvg(enrolment.uri),
        qr_png: `data:image/png;base64,${png.toString('base64')}`,
      })
    },
  )

  app.post<{ Params: { factor_id: string }; Body: { code: string } }>(
    '/v1/client/factors/totp/:factor_id/verify',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Finish enrolling an authenticator app: the first good code verifies it',
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['factor_id'],
          properties: { factor_id: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        body: codeBody,
      },
    },
    async (request) => {
      const factor = await clientSessions.verifyTotp(
        session(request),
        request.params.factor_id,
        request.body.code.trim(),
      )
      return { factor_id: factor.id, status: 'verified' as const }
    },
  )

  app.post<{ Body: { code: string } }>(
    '/v1/client/factors/totp/check',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Sign in with an authenticator-app code; approves the session',
        body: codeBody,
      },
    },
    async (request) => {
      await clientSessions.checkTotp(session(request), request.body.code.trim())
      return { approved: true as const }
    },
  )

  app.post<{ Body: { name?: string } | null }>(
    '/v1/client/passkeys/registration/options',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Start adding a passkey (needs allow_enrolment): options for navigator.credentials.create()',
        body: { type: ['object', 'null'], additionalProperties: false, properties: { name: friendlyName } },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await clientSessions.passkeyRegistrationOptions(session(request))),
  )

  app.post<{ Body: { response: RegistrationResponseJSON; name?: string } }>(
    '/v1/client/passkeys/registration',
    {
      onRequest,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "Finish adding a passkey: verify the browser's answer and store it",
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['response'],
          properties: { response: registrationResponse, name: friendlyName },
        },
      },
    },
    async (request, reply) => {
      const passkey = await clientSessions.registerPasskey(
        session(request),
        request.body.response,
        request.body.name,
      )
      return reply.code(201).send(passkeyJson(passkey))
    },
  )

  app.post(
    '/v1/client/passkeys/authentication/options',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: "Start a sign-in with one of the entity's passkeys: options for navigator.credentials.get()",
        body: emptyBody,
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await clientSessions.passkeyAuthenticationOptions(session(request))),
  )

  app.post<{ Body: { response: AuthenticationResponseJSON } }>(
    '/v1/client/passkeys/authentication',
    {
      onRequest,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Finish a passkey sign-in; approves the session',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['response'],
          properties: { response: authenticationResponse },
        },
      },
    },
    async (request) => {
      await clientSessions.authenticatePasskey(session(request), request.body.response)
      return { approved: true as const }
    },
  )

  app.post(
    '/v1/client/recovery-codes',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Generate 10 recovery codes (needs allow_enrolment), shown once; the old set stops working',
        body: emptyBody,
      },
    },
    async (request, reply) => {
      const codes = await clientSessions.generateRecoveryCodes(session(request))
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({ codes })
    },
  )

  app.post<{ Body: { code: string } }>(
    '/v1/client/recovery-codes/use',
    {
      onRequest,
      schema: {
        tags: ['client'],
        security: CLIENT_SECURITY,
        summary: 'Sign in with a recovery code; approves the session',
        body: codeBody,
      },
    },
    async (request) => {
      const remaining = await clientSessions.useRecoveryCode(session(request), request.body.code)
      return { approved: true as const, remaining }
    },
  )
}
