/**
 * @module `/v2/Services/{VA}/Verifications` (create, fetch, update) and `/VerificationCheck`: a thin
 * facade over `deps.verifier`, so the codes, limits, events, delivery pipeline and simulator are the
 * native API's. What is here is only Twilio's vocabulary and the few places where Twilio's semantics
 * differ from verigate's native answers (a wrong code is a 200 `pending`, a start past the send limit
 * is 60203, a start on another channel sends on that channel).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Channel } from '../channels/channel.js'
import { AppError } from '../errors/app-error.js'
import { refusal } from '../limits/verification-limits.js'
import type { Service } from '../services/service.js'
import { isLive, type Transaction, type Verification } from '../verification/verification.js'
import { bodyParams, type CompatContext, loadService, renderContext, resourcePath } from './context.js'
import { featureNotEnabled, invalidParameter, maxCheckAttempts, notFound, TwilioError } from './errors.js'
import type { Params } from './form.js'
import { enforceRateLimits } from './rate-limits.js'
import { verificationCheckJson, verificationJson } from './representations.js'
import { idFromSid, isSid } from './sids.js'
import type { TwilioServiceSettings } from './store.js'

/** Channels the facade sends on. Twilio's `sna`, `rbm`, `auto` are refused as 60200 Channel. */
export const TWILIO_CHANNELS = ['sms', 'call', 'email', 'whatsapp'] as const satisfies readonly Channel[]
const LOCALE = /^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/
/** Twilio's rule for `Code`: 4 to 10 digits (60200 otherwise). */
const CODE = /^\d{4,10}$/

type ServiceParams = { Params: { serviceSid: string } }
type InstanceParams = { Params: { serviceSid: string; sid: string } }

export function registerVerificationRoutes(app: FastifyInstance, cx: CompatContext): void {
  const { deps } = cx
  const { verifier } = deps
  const verify = cx.auth.require('verify')
  const read = cx.auth.require('read')

  const render = async (request: FastifyRequest, v: Verification) => {
    const attempts = await verifier.messages(v.id)
    return verificationJson(renderContext(request), v, attempts, deps.clock.now())
  }

  /** The pending verification of a destination written as the app wrote it (`To`), if any. */
  const pendingFor = async (service: Service, to: string): Promise<Verification | undefined> => {
    return verifier.findPending(service.id, to)
  }

  /** A `VE…` sid, or (verigate extension) the `To` of a pending verification. @throws 20404 */
  const resolve = async (
    request: FastifyRequest<InstanceParams>,
    service: Service,
  ): Promise<Verification> => {
    const key = request.params.sid
    if (isSid(key, 'VE')) {
      const id = idFromSid('VE', key)
      if (!id) throw notFound(resourcePath(request))
      return verifier.get(id, service.id)
    }
    const pending = await pendingFor(service, key)
    if (!pending) throw notFound(resourcePath(request))
    return verifier.get(pending.id, service.id)
  }

  app.post<ServiceParams>(
    '/Services/:serviceSid/Verifications',
    { onRequest: verify },
    async (request, reply) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const settings = await cx.store.getSettings(service.id)
      const p = bodyParams(request)
      const to = p.string('To', { required: true, max: 254 })
      const channel = p.oneOf('Channel', TWILIO_CHANNELS, { required: true })
      const locale = p.string('Locale', { max: 35, pattern: LOCALE })
      refuseUnavailable(p, service)
      const customCode = readCustomCode(p, settings)
      const transaction = readTransaction(p, settings)
      const rateLimits = p.jsonObject('RateLimits')
      const clientIp = p.ip('DeviceIp')
      if (!service.channels.includes(channel)) throw new TwilioError(400, 60223, 'Delivery channel disabled')
      const { destination } = verifier.normalizeDestination(channel, to)
      await enforceRateLimits(cx, service, rateLimits, destination)

      const now = deps.clock.now()
      let pending = await verifier.findPending(service.id, destination)
      if (
        pending &&
        isLive(pending, now) &&
        (customCode !== undefined || !sameTransaction(pending, transaction))
      ) {
        // The app named another code or another payment: the pending code is not the one it means,
        // so that verification ends (canceled) and a new one starts with the code it asked for.
        await verifier.cancel(pending.id, service.id).catch((err: unknown) => {
          if (!(err instanceof AppError && err.status === 404)) throw err
        })
        pending = undefined
      }
      if (pending && isLive(pending, now)) {
        if (pending.sendCount >= pending.maxSends) {
          // Twilio answers a start past the send limit with 60203; verigate's start would quietly
          // return the pending verification. Recorded as a limit hit like any refusal.
          const refused = refusal('max_sends', pending.expiresAt - now, {
            verification_id: pending.id,
            sends: pending.sendCount,
          })
          await verifier.recordLimitHit({
            serviceId: service.id,
            destination,
            verificationId: pending.id,
            limit: refused.limit,
            retryAfterMs: refused.retryAfterMs,
          })
          throw refused.error
        }
        // Twilio sends a pending verification's (same) code again on every start, on the channel
        // asked for (SMS, then "call me"), and counts it in `send_code_attempts`. verigate's resend
        // cooldown applies only to services that opted in (`VerigateResendCooldown`).
        const cooldown = settings?.resendCooldown === true
        try {
          const resent = await verifier.resend(pending.id, {
            serviceId: service.id,
            channel,
            skipCooldown: !cooldown,
          })
          return reply.code(201).send(await render(request, resent))
        } catch (err) {
          // Within the cooldown (or behind a concurrent start's send) the pending verification
          // stands, as a native start answers.
          if (!(err instanceof AppError && err.details.limit === 'resend_cooldown')) throw err
          return reply.code(201).send(await render(request, await verifier.get(pending.id, service.id)))
        }
      }
      const result = await verifier.start({
        serviceId: service.id,
        to,
        channel,
        locale,
        clientIp,
        customCode,
        transaction,
      })
      return reply.code(201).send(await render(request, result.verification))
    },
  )

  app.get<InstanceParams>(
    '/Services/:serviceSid/Verifications/:sid',
    { onRequest: read },
    async (request) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const v = await resolve(request, service)
      // Twilio deletes a verification once it is approved, canceled, expired or out of attempts.
      if (!isLive(v, deps.clock.now())) throw notFound(resourcePath(request))
      return render(request, v)
    },
  )

  app.post<InstanceParams>(
    '/Services/:serviceSid/Verifications/:sid',
    { onRequest: verify },
    async (request) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const status = bodyParams(request).oneOf('Status', ['canceled', 'approved'] as const, {
        required: true,
      })
      const v = await resolve(request, service)
      if (status === 'canceled') return render(request, await verifier.cancel(v.id, service.id))
      return render(request, await approveManually(cx, v, request))
    },
  )

  app.post<ServiceParams>(
    '/Services/:serviceSid/VerificationCheck',
    { onRequest: verify },
    async (request) => {
      const service = await loadService(cx, request.params.serviceSid, request)
      const p = bodyParams(request)
      const code = p.string('Code', { required: true, max: 10 })
      if (!CODE.test(code)) throw invalidParameter('Code', 'must be 4 to 10 digits')
      const to = p.string('To', { max: 254 })
      const sid = p.string('VerificationSid', { max: 34 })
      const transaction = readTransaction(p, await cx.store.getSettings(service.id))
      let target: Verification | undefined
      if (sid !== undefined) {
        const id = idFromSid('VE', sid)
        target = id ? await verifier.get(id, service.id).catch(() => undefined) : undefined
      } else if (to !== undefined) {
        target = await verifier.findLatest(service.id, to)
      } else {
        throw new TwilioError(400, 60221, 'No target verification specified')
      }
      if (!target) throw notFound(resourcePath(request))
      // Twilio: "You have 5 attempts to check a verification code"; once they are used, further
      // checks answer 60202 for the verification's life (20404 after it).
      const now = deps.clock.now()
      if (target.status === 'failed' && now < target.expiresAt) throw maxCheckAttempts()
      if (target.status !== 'pending') throw notFound(resourcePath(request))

      let v: Verification
      try {
        v = await verifier.check({ verificationId: target.id, serviceId: service.id, code, transaction })
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        // Twilio answers a wrong code with 200 and status `pending` (the attempt is counted), the
        // 5th wrong one too: only the next check is refused. A code of another length than this
        // verification's is refused by verigate before any attempt is used.
        if (err.code === 'CODE_INCORRECT' || err.code === 'CODE_MALFORMED') {
          v = await verifier.get(target.id, service.id)
        } else if (
          err.code === 'MAX_CHECK_ATTEMPTS_REACHED' &&
          target.checkAttempts < target.maxCheckAttempts
        ) {
          const after = await verifier.get(target.id, service.id)
          if (after.status !== 'failed') throw err
          v = { ...after, status: 'pending' }
        } else {
          throw err
        }
      }
      const attempts = await verifier.messages(v.id)
      return verificationCheckJson(renderContext(request), v, attempts, deps.clock.now())
    },
  )
}

/** Twilio's own error for a custom message: verigate words messages itself. */
const CUSTOM_MESSAGES = new TwilioError(400, 60243, 'Custom messages are not supported')

/**
 * Start parameters for features verigate does not have. Ignoring them would change what the person
 * receives without the app knowing, so each is refused with Twilio's error for a feature the service
 * lacks (60204, or 60243 for a custom message). `false`/empty values of switches are accepted.
 */
function refuseUnavailable(p: Params, service: Service): void {
  if (p.has('CustomMessage')) throw CUSTOM_MESSAGES
  for (const name of [
    'CustomFriendlyName',
    'TemplateSid',
    'TemplateCustomSubstitutions',
    'Templates',
    'SendDigits',
  ])
    if (p.has(name)) throw featureNotEnabled(name)
  if (p.bool('EnableSnaClientToken') === true) throw featureNotEnabled('EnableSnaClientToken')
  // The Android SMS Retriever hash is the service's (`android_app_hash` on /v1/services); a start
  // naming another one would get an SMS its app cannot read.
  const appHash = p.string('AppHash', { max: 11 })
  if (appHash !== undefined && appHash !== service.androidAppHash) throw featureNotEnabled('AppHash')
}

/**
 * `CustomCode`: the app's own code, on a service with `CustomCodeEnabled` (Twilio's 60204 otherwise).
 * Digits only, 4 to 10, as verigate's checks compare digits.
 * https://www.twilio.com/docs/verify/api/customization-options , /docs/api/errors/60204
 */
function readCustomCode(p: Params, settings: TwilioServiceSettings | undefined): string | undefined {
  if (!p.has('CustomCode')) return undefined
  if (!settings?.customCodeEnabled) throw featureNotEnabled('CustomCode')
  return p.string('CustomCode', { required: true, max: 10, pattern: CODE })
}

/** Free text that goes into a message: no control characters (no line breaks, no escapes). */
const PRINTABLE = /^[^\p{Cc}]+$/u

/**
 * `Amount` and `Payee` (PSD2): both required on a service with `Psd2Enabled` (400 / 60206), refused
 * on one without (60204), as the code is bound to them only on a PSD2 service.
 * https://www.twilio.com/docs/verify/api/verifying-transactions-psd2 , /docs/api/errors/60206
 */
function readTransaction(p: Params, settings: TwilioServiceSettings | undefined): Transaction | undefined {
  const sent = p.has('Amount') || p.has('Payee')
  if (!settings?.psd2Enabled) {
    if (sent) throw featureNotEnabled(p.has('Amount') ? 'Amount' : 'Payee')
    return undefined
  }
  const amount = p.string('Amount', { max: 32, pattern: PRINTABLE })?.trim()
  const payee = p.string('Payee', { max: 64, pattern: PRINTABLE })?.trim()
  if (!amount || !payee) throw new TwilioError(400, 60206, "'Amount' & 'Payee' params are required")
  return { amount, payee }
}

function sameTransaction(v: Verification, t: Transaction | undefined): boolean {
  const bound = v.transaction ?? undefined
  return bound?.amount === t?.amount && bound?.payee === t?.payee
}

/**
 * `Status=approved`: Twilio lets the app approve a verification itself (used with custom codes and
 * out-of-band checks). The verifier records and publishes it like a code check's approval, marked
 * manual; one that is no longer pending is Twilio's 20404.
 */
async function approveManually(
  cx: CompatContext,
  v: Verification,
  request: FastifyRequest,
): Promise<Verification> {
  try {
    return await cx.deps.verifier.approve(v.id, { serviceId: v.serviceId, via: 'twilio_compat' })
  } catch (err) {
    if (
      err instanceof AppError &&
      (err.code === 'VERIFICATION_EXPIRED' || err.code === 'VERIFICATION_NOT_PENDING')
    )
      throw notFound(resourcePath(request))
    throw err
  }
}
