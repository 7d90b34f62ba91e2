/**
 * @module `/v2/Services`: create, fetch, list (Twilio paging), update (POST to the instance) and
 * delete verigate services through Twilio's Service resource. Admin scope to change, read to look.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/app-error.js'
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
import { featureNotEnabled, invalidParameter, notFound } from './errors.js'
import type { Params } from './form.js'
import { pageJson, serviceJson, serviceSid } from './representations.js'
import { idFromSid } from './sids.js'
import type { TwilioServiceSettings } from './store.js'

/** Twilio caps a service's friendly name at 30 characters (60200 beyond). */
const FRIENDLY_NAME_MAX = 30

interface SettingsInput {
  issuer?: string | undefined
  timeStep?: number | undefined
  codeLength?: number | undefined
  skew?: number | undefined
  psd2Enabled?: boolean | undefined
  customCodeEnabled?: boolean | undefined
  resendCooldown?: boolean | undefined
}

/**
 * Service features verigate does not have: refused with Twilio's 60204 rather than stored and
 * ignored (a `false` switch is what verigate does anyway, so it is accepted).
 */
function refuseUnavailable(p: Params): void {
  for (const name of ['DtmfInputRequired', 'VerifyEventSubscriptionEnabled'])
    if (p.bool(name) === true) throw featureNotEnabled(name)
  for (const name of ['TtsName', 'DefaultTemplateSid', 'Push', 'Passkeys'])
    if (p.has(name)) throw featureNotEnabled(name)
}

/** `Totp.*` parameters with Twilio's bounds, the flags the facade acts on, and verigate's extension. */
function readSettings(p: Params): SettingsInput {
  refuseUnavailable(p)
  return {
    issuer: p.string('Totp.Issuer', { max: 100 }),
    timeStep: p.int('Totp.TimeStep', 20, 60),
    codeLength: p.int('Totp.CodeLength', 3, 8),
    skew: p.int('Totp.Skew', 0, 2),
    psd2Enabled: p.bool('Psd2Enabled'),
    customCodeEnabled: p.bool('CustomCodeEnabled'),
    resendCooldown: p.bool('VerigateResendCooldown'),
  }
}

const hasAny = (t: SettingsInput) => Object.values(t).some((v) => v !== undefined)

function mergeSettings(
  serviceId: string,
  current: TwilioServiceSettings | undefined,
  t: SettingsInput,
  now: number,
): TwilioServiceSettings {
  return {
    serviceId,
    totpIssuer: t.issuer ?? current?.totpIssuer ?? null,
    totpTimeStep: t.timeStep ?? current?.totpTimeStep ?? null,
    totpCodeLength: t.codeLength ?? current?.totpCodeLength ?? null,
    totpSkew: t.skew ?? current?.totpSkew ?? null,
    psd2Enabled: t.psd2Enabled ?? current?.psd2Enabled ?? false,
    customCodeEnabled: t.customCodeEnabled ?? current?.customCodeEnabled ?? false,
    resendCooldown: t.resendCooldown ?? current?.resendCooldown ?? false,
    updatedAt: now,
  }
}

/** Page tokens name the last service of the previous page: `PT` + its sid. */
const pageToken = (service: Service) => `PT${serviceSid(service.id)}`

export function registerServiceRoutes(app: FastifyInstance, cx: CompatContext): void {
  const { deps, store } = cx
  const read = cx.auth.require('read')

  app.post(
    '/Services',
    { onRequest: cx.auth.require('admin', { audit: 'service.create', global: true }) },
    async (request, reply) => {
      const p = bodyParams(request)
      const name = p.string('FriendlyName', { required: true, max: FRIENDLY_NAME_MAX }).trim()
      if (!name) throw invalidParameter('FriendlyName')
      const codeLength = p.int('CodeLength', 4, 10)
      const totp = readSettings(p)
      const service = await deps.services.create({ name, codeLength })
      if (request.apiAudit) {
        request.apiAudit.target = service.id
        request.apiAudit.serviceId = service.id
      }
      const now = deps.clock.now()
      let settings: TwilioServiceSettings | undefined
      if (hasAny(totp)) {
        settings = mergeSettings(service.id, undefined, totp, now)
        await store.putSettings(settings)
      }
      return reply.code(201).send(serviceJson(renderContext(request), service, settings))
    },
  )

  app.get('/Services', { onRequest: read }, async (request) => {
    const q = queryParams(request)
    const size = pageSize(q)
    const page = q.int('Page', 0, 1_000_000) ?? 0
    const token = q.string('PageToken', { max: 64 })
    let after: string | undefined
    if (token !== undefined) {
      after = token.startsWith('PT') ? idFromSid('VA', token.slice(2)) : undefined
      if (!after) throw invalidParameter('PageToken')
    }
    // One more than asked tells whether a next page exists, so the last page has no dangling link.
    // A key limited to services lists its own only.
    const found = await deps.services.list({ limit: size + 1, after, only: request.apiKey?.services })
    const items = found.slice(0, size)
    const ctx = renderContext(request)
    const rendered = await Promise.all(
      items.map(async (s) => serviceJson(ctx, s, await store.getSettings(s.id))),
    )
    const last = items.at(-1)
    return pageJson(ctx, 'services', '/v2/Services', rendered, {
      page,
      pageSize: size,
      pageToken: token,
      nextPageToken: found.length > size && last ? pageToken(last) : null,
    })
  })

  app.get<{ Params: { sid: string } }>('/Services/:sid', { onRequest: read }, async (request) => {
    const service = await loadService(cx, request.params.sid, request)
    return serviceJson(renderContext(request), service, await store.getSettings(service.id))
  })

  const update = cx.auth.require('admin', { audit: 'service.update' })
  app.post<{ Params: { sid: string } }>('/Services/:sid', { onRequest: update }, async (request) => {
    const current = await loadService(cx, request.params.sid, request)
    const p = bodyParams(request)
    const name = p.string('FriendlyName', { max: FRIENDLY_NAME_MAX })?.trim()
    if (name === '') throw invalidParameter('FriendlyName')
    const codeLength = p.int('CodeLength', 4, 10)
    const totp = readSettings(p)
    const next = await deps.services.update(current.id, { name, codeLength })
    const now = deps.clock.now()
    let settings = await store.getSettings(next.id)
    if (hasAny(totp)) {
      settings = mergeSettings(next.id, settings, totp, now)
      await store.putSettings(settings)
    }
    return serviceJson(renderContext(request), next, settings)
  })

  const remove = cx.auth.require('admin', { audit: 'service.delete' })
  app.delete<{ Params: { sid: string } }>('/Services/:sid', { onRequest: remove }, async (request, reply) => {
    const id = idFromSid('VA', request.params.sid)
    // Verifications, rate limits, settings and challenges go with it (foreign keys cascade).
    if (!id) throw notFound(resourcePath(request))
    try {
      await deps.services.delete(id)
    } catch (err) {
      if (err instanceof AppError && err.code === 'SERVICE_NOT_FOUND') throw notFound(resourcePath(request))
      throw err
    }
    return reply.code(204).send()
  })
}
