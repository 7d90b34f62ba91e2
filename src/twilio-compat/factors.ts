/**
 * @module Twilio Verify TOTP: `/v2/Services/{VA}/Entities`, `/Entities/{identity}/Factors` (create,
 * verify with `AuthPayload`, fetch, list, delete) and `/Entities/{identity}/Challenges`, over the
 * factor module's `TotpFactorsApi` (`deps.factors`). The facade keeps only what that module has no
 * concept of: the challenges themselves (sid, expiry, details), in its own table.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors/app-error.js'
import type { ChallengeResult, TotpFactor, TotpFactorsApi } from '../factors/factors.js'
import type { Service } from '../services/service.js'
import {
  bodyParams,
  type CompatContext,
  loadService,
  pageSize,
  queryParams,
  renderContext,
  resourcePath,
} from './context.js'
import { invalidParameter, notFound, TwilioError } from './errors.js'
import type { Params } from './form.js'
import {
  challengeJson,
  challengeStatus,
  entityJson,
  factorJson,
  factorSid,
  pageJson,
  serviceSid,
  TOTP_DEFAULTS,
} from './representations.js'
import { isSid, randomSid } from './sids.js'
import type { Challenge, ChallengeDetails } from './store.js'

/** Twilio's TOTP `AuthPayload`: the code, 3 to 8 characters (digits for TOTP). */
const AUTH_PAYLOAD = /^\d{3,8}$/
/** Challenges expire after 5 minutes unless `ExpirationDate` says otherwise, and after 1 hour at most. */
const CHALLENGE_TTL_MS = 5 * 60_000
const CHALLENGE_MAX_TTL_MS = 60 * 60_000

/** The factor module's field names, as Twilio parameters (for 60200 messages). */
const ENROL_FIELDS: Partial<Record<string, string>> = {
  friendly_name: 'FriendlyName',
  issuer: 'Totp.Issuer',
  digits: 'Config.CodeLength',
  period_seconds: 'Config.TimeStep',
  skew: 'Config.Skew',
}

type EntityRoute = { Params: { serviceSid: string; identity: string } }
type InstanceRoute = { Params: { serviceSid: string; identity: string; sid: string } }

/** An identity as it came in the path: the SDK inserts it unescaped, so only `/` and `?` are impossible. */
function checkIdentity(identity: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (identity.length === 0 || identity.length > 256 || /[\u0000-\u001f\u007f]/.test(identity))
    throw invalidParameter('Identity')
  return identity
}

function unsupported(): TwilioError {
  return new TwilioError(403, 60204, 'Service does not support this feature', {
    details: { reason: 'TOTP factors are not enabled on this verigate server.' },
  })
}

function lockedError(err: AppError): TwilioError {
  return new TwilioError(429, 60308, 'Max challenge attempts reached', {
    details: { verigate_code: err.code, verigate_message: err.message },
    headers: err.headers,
  })
}

/**
 * Runs a code through the factor module. A wrong or replayed code is not an error in Twilio's API
 * (the factor stays unverified, the challenge pending); a lock is 60308.
 */
async function tryCode(run: () => Promise<ChallengeResult>): Promise<'approved' | 'denied'> {
  try {
    return (await run()).status
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    // A code of another length than the factor's is just a wrong code to Twilio (no 60200 for it).
    if (
      err.code === 'FACTOR_CODE_INCORRECT' ||
      err.code === 'FACTOR_CODE_REUSED' ||
      err.code === 'CODE_MALFORMED'
    )
      return 'denied'
    if (err.code === 'FACTOR_LOCKED' || err.status === 429) throw lockedError(err)
    if (err.code === 'FACTOR_NOT_VERIFIED') throw new TwilioError(403, 60318, 'Factor is unverified')
    throw err
  }
}

function readDetails(p: Params): ChallengeDetails | null {
  const message = p.string('Details.Message', { max: 1024 }) ?? null
  const fields = p.list('Details.Fields').map((text) => {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw invalidParameter('Details.Fields')
    }
    const f = parsed as { label?: unknown; value?: unknown }
    if (typeof f !== 'object' || f === null || typeof f.label !== 'string' || typeof f.value !== 'string') {
      throw invalidParameter('Details.Fields')
    }
    if (f.label.length > 36 || f.value.length > 128) throw invalidParameter('Details.Fields')
    return { label: f.label, value: f.value }
  })
  if (fields.length > 20) throw invalidParameter('Details.Fields')
  return message === null && fields.length === 0 ? null : { message, fields }
}

export function registerFactorRoutes(app: FastifyInstance, cx: CompatContext): void {
  const { deps, store } = cx
  const verify = cx.auth.require('verify')

  const api = (): TotpFactorsApi => {
    if (!cx.factors) throw unsupported()
    return cx.factors
  }

  const entityOf = async (request: FastifyRequest<EntityRoute>) => {
    const service = await loadService(cx, request.params.serviceSid, request)
    return { service, identity: checkIdentity(request.params.identity) }
  }

  /** The factor a `YF…` sid names within an entity (sids are hashes: resolved among its few factors). */
  const findFactor = async (
    service: Service,
    identity: string,
    sid: string,
    request: FastifyRequest,
  ): Promise<TotpFactor> => {
    const wanted = isSid(sid, 'YF') ? `YF${sid.slice(2).toLowerCase()}` : undefined
    const factor = wanted
      ? (await api().list(service.id, identity)).find((f) => factorSid(service.id, identity, f.id) === wanted)
      : undefined
    if (!factor) throw notFound(resourcePath(request))
    return factor
  }

  // Entities: an entity exists while it has factors; creating one is accepted and stores nothing.
  app.post<{ Params: { serviceSid: string } }>(
    '/Services/:serviceSid/Entities',
    { onRequest: verify },
    async (request, reply) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const identity = checkIdentity(bodyParams(request).string('Identity', { required: true, max: 256 }))
      const factors = await api().list(service.id, identity)
      return reply
        .code(201)
        .send(entityJson(renderContext(request), service.id, identity, factors, deps.clock.now()))
    },
  )

  app.get<EntityRoute>('/Services/:serviceSid/Entities/:identity', { onRequest: verify }, async (request) => {
    const { service, identity } = await entityOf(request)
    const factors = await api().list(service.id, identity)
    if (factors.length === 0) throw notFound(resourcePath(request))
    return entityJson(renderContext(request), service.id, identity, factors, deps.clock.now())
  })

  app.delete<EntityRoute>(
    '/Services/:serviceSid/Entities/:identity',
    { onRequest: verify },
    async (request, reply) => {
      const { service, identity } = await entityOf(request)
      const factors = await api().list(service.id, identity)
      if (factors.length === 0) throw notFound(resourcePath(request))
      for (const f of factors) await api().delete(service.id, identity, f.id)
      return reply.code(204).send()
    },
  )

  // Factors.
  app.post<EntityRoute>(
    '/Services/:serviceSid/Entities/:identity/Factors',
    { onRequest: verify },
    async (request, reply) => {
      const { service, identity } = await entityOf(request)
      const p = bodyParams(request)
      const friendlyName = p.string('FriendlyName', { required: true, max: 64 })
      p.oneOf('FactorType', ['totp'] as const, { required: true })
      if (p.has('Binding.Secret'))
        throw invalidParameter('Binding.Secret', 'verigate generates every TOTP secret')
      p.oneOf('Config.Alg', ['sha1'] as const)
      p.jsonObject('Metadata')
      const settings = await store.getSettings(service.id)
      const enrolment = await api()
        .enrol({
          serviceId: service.id,
          entityId: identity,
          friendlyName,
          issuer: settings?.totpIssuer ?? undefined,
          digits: p.int('Config.CodeLength', 3, 8) ?? settings?.totpCodeLength ?? TOTP_DEFAULTS.codeLength,
          periodSeconds: p.int('Config.TimeStep', 20, 60) ?? settings?.totpTimeStep ?? TOTP_DEFAULTS.timeStep,
          skew: p.int('Config.Skew', 0, 2) ?? settings?.totpSkew ?? TOTP_DEFAULTS.skew,
        })
        .catch((err: unknown) => {
          // The factor module names its own fields; answer with the Twilio parameter the app sent.
          const field =
            err instanceof AppError && err.code === 'VALIDATION_FAILED' ? String(err.details.field ?? '') : ''
          const param = ENROL_FIELDS[field]
          throw param ? invalidParameter(param, (err as AppError).message) : err
        })
      return reply.code(201).send(factorJson(renderContext(request), enrolment.factor, identity, enrolment))
    },
  )

  app.get<EntityRoute>(
    '/Services/:serviceSid/Entities/:identity/Factors',
    { onRequest: verify },
    async (request) => {
      const { service, identity } = await entityOf(request)
      const size = pageSize(queryParams(request))
      const ctx = renderContext(request)
      const items = (await api().list(service.id, identity)).map((f) => factorJson(ctx, f, identity))
      const path = `/v2/Services/${serviceSid(service.id)}/Entities/${encodeURIComponent(identity)}/Factors`
      return pageJson(ctx, 'factors', path, items, {
        page: 0,
        pageSize: Math.max(size, items.length),
        nextPageToken: null,
      })
    },
  )

  app.get<InstanceRoute>(
    '/Services/:serviceSid/Entities/:identity/Factors/:sid',
    { onRequest: verify },
    async (request) => {
      const { service, identity } = await entityOf(request)
      return factorJson(
        renderContext(request),
        await findFactor(service, identity, request.params.sid, request),
        identity,
      )
    },
  )

  app.post<InstanceRoute>(
    '/Services/:serviceSid/Entities/:identity/Factors/:sid',
    { onRequest: verify },
    async (request) => {
      const { service, identity } = await entityOf(request)
      const p = bodyParams(request)
      for (const name of ['FriendlyName', 'Config']) {
        if (p.has(name)) throw invalidParameter(name, 'a factor cannot be changed after creation in verigate')
      }
      const authPayload = p.string('AuthPayload', { pattern: AUTH_PAYLOAD })
      const factor = await findFactor(service, identity, request.params.sid, request)
      if (authPayload === undefined || factor.status === 'verified')
        return factorJson(renderContext(request), factor, identity)
      await tryCode(() => api().verify(service.id, identity, factor.id, authPayload)).catch(
        (err: unknown) => {
          // A factor verified by a concurrent request is verified: answer with its state, as Twilio does.
          if (err instanceof AppError && err.code === 'FACTOR_ALREADY_VERIFIED') return 'approved'
          throw err
        },
      )
      const current = (await api().get(service.id, identity, factor.id)) ?? factor
      return factorJson(renderContext(request), current, identity)
    },
  )

  app.delete<InstanceRoute>(
    '/Services/:serviceSid/Entities/:identity/Factors/:sid',
    { onRequest: verify },
    async (request, reply) => {
      const { service, identity } = await entityOf(request)
      const factor = await findFactor(service, identity, request.params.sid, request)
      if (!(await api().delete(service.id, identity, factor.id))) throw notFound(resourcePath(request))
      return reply.code(204).send()
    },
  )

  // Challenges.
  const loadChallenge = async (request: FastifyRequest<InstanceRoute>) => {
    const { service, identity } = await entityOf(request)
    const sid = request.params.sid
    const challenge = isSid(sid, 'YC')
      ? await store.getChallenge(service.id, identity, `YC${sid.slice(2).toLowerCase()}`)
      : undefined
    if (!challenge) throw notFound(resourcePath(request))
    return { service, identity, challenge }
  }

  /** Checks a code for a pending challenge; approves it on success. Returns the challenge after. */
  const respond = async (challenge: Challenge, code: string): Promise<Challenge> => {
    const outcome = await tryCode(() =>
      api().challenge(challenge.serviceId, challenge.identity, challenge.factorId, code),
    )
    if (outcome === 'denied') return challenge
    const now = deps.clock.now()
    await store.approveChallenge(challenge.sid, now)
    return (await store.getChallenge(challenge.serviceId, challenge.identity, challenge.sid)) ?? challenge
  }

  app.post<EntityRoute>(
    '/Services/:serviceSid/Entities/:identity/Challenges',
    { onRequest: verify },
    async (request, reply) => {
      const { service, identity } = await entityOf(request)
      const p = bodyParams(request)
      const sid = p.string('FactorSid', { required: true, max: 34 })
      const authPayload = p.string('AuthPayload', { pattern: AUTH_PAYLOAD })
      const now = deps.clock.now()
      const expiresAt = p.date('ExpirationDate') ?? now + CHALLENGE_TTL_MS
      if (expiresAt <= now || expiresAt > now + CHALLENGE_MAX_TTL_MS) throw invalidParameter('ExpirationDate')
      const details = readDetails(p)
      const hiddenDetails = p.jsonObject('HiddenDetails') ?? null
      const metadata = p.jsonObject('Metadata') ?? null
      const factor = await findFactor(service, identity, sid, request)
      if (factor.status !== 'verified') throw new TwilioError(403, 60318, 'Factor is unverified')
      let challenge: Challenge = {
        sid: randomSid('YC'),
        serviceId: service.id,
        identity,
        factorId: factor.id,
        factorSid: factorSid(service.id, identity, factor.id),
        status: 'pending',
        details,
        hiddenDetails,
        metadata,
        expiresAt,
        respondedAt: null,
        createdAt: now,
        updatedAt: now,
      }
      await store.insertChallenge(challenge)
      if (authPayload !== undefined) challenge = await respond(challenge, authPayload)
      return reply.code(201).send(challengeJson(renderContext(request), challenge, deps.clock.now()))
    },
  )

  app.get<EntityRoute>(
    '/Services/:serviceSid/Entities/:identity/Challenges',
    { onRequest: verify },
    async (request) => {
      const { service, identity } = await entityOf(request)
      const q = queryParams(request)
      const size = pageSize(q)
      const page = q.int('Page', 0, 1_000_000) ?? 0
      const token = q.string('PageToken', { max: 64 })
      const after =
        token === undefined
          ? undefined
          : token.startsWith('PT') && isSid(token.slice(2), 'YC')
            ? token.slice(2)
            : null
      if (after === null) throw invalidParameter('PageToken')
      const factor = q.string('FactorSid', { max: 34 })
      const status = q.oneOf('Status', ['pending', 'approved', 'expired'] as const)
      const now = deps.clock.now()
      const found = await store.listChallenges(service.id, identity, {
        now,
        limit: size + 1,
        after,
        factorSid: factor,
        status,
      })
      const items = found.slice(0, size)
      const ctx = renderContext(request)
      const last = items.at(-1)
      const path = `/v2/Services/${serviceSid(service.id)}/Entities/${encodeURIComponent(identity)}/Challenges`
      return pageJson(
        ctx,
        'challenges',
        path,
        items.map((c) => challengeJson(ctx, c, now)),
        {
          page,
          pageSize: size,
          pageToken: token,
          nextPageToken: found.length > size && last ? `PT${last.sid}` : null,
        },
      )
    },
  )

  app.get<InstanceRoute>(
    '/Services/:serviceSid/Entities/:identity/Challenges/:sid',
    { onRequest: verify },
    async (request) => {
      const { challenge } = await loadChallenge(request)
      return challengeJson(renderContext(request), challenge, deps.clock.now())
    },
  )

  app.post<InstanceRoute>(
    '/Services/:serviceSid/Entities/:identity/Challenges/:sid',
    { onRequest: verify },
    async (request) => {
      const { challenge } = await loadChallenge(request)
      const authPayload = bodyParams(request).string('AuthPayload', { required: true, pattern: AUTH_PAYLOAD })
      const status = challengeStatus(challenge, deps.clock.now())
      if (status === 'expired') throw new TwilioError(403, 60323, 'Challenge expired')
      // Never answer "approved" to a code sent for a challenge already decided: the code was not checked.
      if (status !== 'pending') {
        throw new TwilioError(403, 60324, 'Challenge verification failed', {
          details: { reason: `The challenge is already ${status}.` },
        })
      }
      return challengeJson(renderContext(request), await respond(challenge, authPayload), deps.clock.now())
    },
  )
}
