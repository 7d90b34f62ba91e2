/**
 * Administration through the API (native and Twilio) lands in the console's audit log, naming the
 * key that did it by id and never its secret; refused requests leave no "done" entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseToken } from '../../src/auth/api-key.js'
import { twilioAccountSid } from '../../src/auth/twilio-aliases.js'
import { serviceSid } from '../../src/twilio-compat/representations.js'
import { buildTestApp } from '../helpers/test-deps.js'

describe('API admin actions are audited', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let adminId: string
  beforeAll(async () => {
    t = await buildTestApp()
    adminId = parseToken(t.adminKey)!.id
  })
  afterAll(async () => t.close())

  const entries = () => t.deps.support.audit.list({ limit: 200 })

  it('records keys, services, webhooks and Twilio rate limits with the acting key id', async () => {
    const auth = t.auth()
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: auth,
      payload: { name: 'Audited' },
    })
    expect(svc.statusCode).toBe(201)
    const serviceId = svc.json().id as string
    await t.app.inject({
      method: 'PATCH',
      url: `/v1/services/${serviceId}`,
      headers: auth,
      payload: { name: 'Renamed' },
    })
    await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: auth,
      payload: { url: 'http://127.0.0.1:9/hook' },
    })
    await t.app.inject({
      method: 'POST',
      url: `/v1/services/${serviceId}/webhook/rotate-secret`,
      headers: auth,
    })
    const key = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: auth,
      payload: { name: 'tenant', scopes: ['verify'], services: [serviceId] },
    })
    expect(key.statusCode).toBe(201)
    expect(key.json().services).toEqual([serviceId])
    const newKeyId = key.json().id as string
    const newToken = key.json().key as string
    await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${newKeyId}`, headers: auth })
    const rl = await t.app.inject({
      method: 'POST',
      url: `/v2/Services/${serviceSid(serviceId)}/RateLimits`,
      headers: {
        authorization: `Basic ${Buffer.from(`${twilioAccountSid(adminId)}:${t.adminKey}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'UniqueName=end_user_ip',
    })
    expect(rl.statusCode).toBe(201)
    await t.app.inject({ method: 'DELETE', url: `/v1/services/${serviceId}/webhook`, headers: auth })
    await t.app.inject({ method: 'DELETE', url: `/v1/services/${serviceId}`, headers: auth })

    const log = await entries()
    const actions = log.map((e) => e.action).reverse()
    expect(actions).toEqual([
      'service.create',
      'service.update',
      'webhook.set',
      'webhook.rotate_secret',
      'api_key.create',
      'api_key.revoke',
      'rate_limit.create',
      'webhook.delete',
      'service.delete',
    ])
    for (const e of log) {
      expect(e.actor).toBe(`api-key ${adminId}`)
      expect(e.actorRole).toBe('api_key')
      // The whole secret: base64url has `_` in it, so the token's last `_` part can be a letter or two.
      expect(JSON.stringify(e)).not.toContain(parseToken(t.adminKey)!.secret)
      expect(JSON.stringify(e)).not.toContain(parseToken(newToken)!.secret)
    }
    const byAction = new Map(log.map((e) => [e.action, e]))
    expect(byAction.get('service.create')?.target).toBe(serviceId)
    expect(byAction.get('service.update')?.target).toBe(serviceId)
    expect(byAction.get('api_key.create')?.target).toBe(newKeyId)
    expect(byAction.get('api_key.revoke')?.target).toBe(newKeyId)
    expect(byAction.get('rate_limit.create')?.details).toMatchObject({ method: 'POST', status: 201 })
  })

  it('a refused or failed admin request is not recorded as done', async () => {
    const before = (await entries()).length
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(t.verifyKey),
      payload: { name: 'x' },
    })
    expect(forbidden.statusCode).toBe(403)
    const missing = await t.app.inject({
      method: 'DELETE',
      url: '/v1/services/svc_missing',
      headers: t.auth(),
    })
    expect(missing.statusCode).toBe(404)
    expect((await entries()).length).toBe(before)
  })

  it('the console audit page shows API actions beside staff ones', async () => {
    const page = await t.deps.support.audit.list({ limit: 10, actor: `api-key ${adminId}` })
    expect(page.length).toBeGreaterThan(0)
  })
})
