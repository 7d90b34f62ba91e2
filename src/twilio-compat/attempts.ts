/**
 * @module `/v2/Attempts` (Verification Attempts) and `/v2/Templates`, as far as verigate can answer
 * them truthfully: a verification's send attempts are its outbox messages; verigate has no Twilio
 * message templates. What it cannot answer is refused with Twilio's 60204, never faked
 * (docs/twilio-compat.md, conformance table).
 * https://www.twilio.com/docs/verify/api/attempts ,
 * https://www.twilio.com/docs/verify/api/templates
 */
import type { FastifyInstance } from 'fastify'
import { reachesService } from '../auth/api-key.js'
import type { OutboxMessage } from '../delivery/outbox.js'
import type { Verification } from '../verification/verification.js'
import { type CompatContext, pageSize, queryParams, renderContext } from './context.js'
import { featureNotEnabled, invalidParameter } from './errors.js'
import { pageJson, type RenderContext, serviceSid, twilioDate, verificationSid } from './representations.js'
import { idFromSid, sidFor } from './sids.js'

const CHANNELS = ['sms', 'call', 'email', 'whatsapp'] as const

function attemptJson(ctx: RenderContext, v: Verification, m: OutboxMessage) {
  const sid = sidFor('VL', m.id)
  return {
    sid,
    account_sid: ctx.accountSid,
    service_sid: serviceSid(v.serviceId),
    verification_sid: verificationSid(v.id),
    date_created: twilioDate(m.createdAt),
    date_updated: twilioDate(m.deliveredAt ?? m.sentAt ?? m.createdAt),
    // Twilio: converted once the verification was approved.
    conversion_status: v.status === 'approved' ? 'converted' : 'unconverted',
    channel: m.channel,
    // verigate does not price messages.
    price: null,
    channel_data: { to: m.destination },
    url: `${ctx.origin}/v2/Attempts/${sid}`,
  }
}

export function registerAttemptRoutes(app: FastifyInstance, cx: CompatContext): void {
  const { verifier } = cx.deps
  const read = cx.auth.require('read')

  app.get('/Attempts', { onRequest: read }, async (request) => {
    const q = queryParams(request)
    const size = pageSize(q)
    // Listing every attempt of the account needs a search verigate's outbox does not keep:
    // the list is per verification.
    const sid = q.string('VerificationSid', { max: 34 })
    if (sid === undefined) throw invalidParameter('VerificationSid', 'is required on verigate')
    const channel = q.oneOf('Channel', CHANNELS)
    const status = q.oneOf('Status', ['converted', 'unconverted'] as const)
    const serviceFilter = q.string('VerifyServiceSid', { max: 34 })
    const after = q.date('DateCreatedAfter')
    const before = q.date('DateCreatedBefore')
    for (const unsupported of ['ChannelData.To', 'Country'])
      if (q.has(unsupported)) throw featureNotEnabled(unsupported)
    const ctx = renderContext(request)
    const empty = () =>
      pageJson(ctx, 'attempts', '/v2/Attempts', [], { page: 0, pageSize: size, nextPageToken: null })
    const id = idFromSid('VE', sid)
    const v = id ? await verifier.get(id).catch(() => undefined) : undefined
    // A key limited to services sees another service's verification as absent (tenants apart).
    const key = request.apiKey
    if (!v || (key && !reachesService(key, v.serviceId))) return empty()
    if (serviceFilter !== undefined && serviceFilter !== serviceSid(v.serviceId)) return empty()
    const conversion = v.status === 'approved' ? 'converted' : 'unconverted'
    if (status !== undefined && status !== conversion) return empty()
    const items = (await verifier.messages(v.id))
      .filter((m) => channel === undefined || m.channel === channel)
      .filter(
        (m) =>
          (after === undefined || m.createdAt >= after) && (before === undefined || m.createdAt <= before),
      )
      .slice(0, size)
      .map((m) => attemptJson(ctx, v, m))
    return pageJson(ctx, 'attempts', '/v2/Attempts', items, { page: 0, pageSize: size, nextPageToken: null })
  })

  // Fetching one attempt by its VL sid and the account-wide summary need indexes verigate does not
  // keep; its native analytics (`GET /v1/analytics/...`) report conversion instead.
  app.get('/Attempts/Summary', { onRequest: read }, async () => {
    throw featureNotEnabled('Attempts/Summary')
  })
  app.get('/Attempts/:sid', { onRequest: read }, async () => {
    throw featureNotEnabled('Attempts/{Sid}')
  })

  // verigate words its messages itself (localised, or the service's own template): it has no
  // Twilio templates to list, so the list is empty and a `TemplateSid` on a start is refused.
  app.get('/Templates', { onRequest: read }, async (request) => {
    const q = queryParams(request)
    const size = pageSize(q)
    q.string('FriendlyName', { max: 100 })
    return pageJson(renderContext(request), 'templates', '/v2/Templates', [], {
      page: 0,
      pageSize: size,
      nextPageToken: null,
    })
  })
}
