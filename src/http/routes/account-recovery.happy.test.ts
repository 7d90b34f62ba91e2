/** Account recovery through the HTTP app: request, approve, cooling-off, complete; and cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, eventually } from '../../../test/helpers/test-deps.js'

const DAY_MS = 86_400_000

describe('account recovery API: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Acme Exchange', brand_name: 'Acme' },
      })
    ).json().id
  })
  afterAll(async () => t.close())

  const post = (url: string, payload: object, key = t.adminKey) =>
    t.app.inject({ method: 'POST', url, headers: t.auth(key), payload })
  const fileRequest = (entityId: string, phones = ['+447700900321']) =>
    post(
      `/v1/services/${serviceId}/entities/${entityId}/recovery`,
      {
        reason: 'lost every device',
        requested_by: 'agent-7',
        contacts: { phones, emails: ['ada@example.com'] },
      },
      t.verifyKey,
    )

  it('requests, approves, waits out the cooling-off and completes a reset', async () => {
    await t.deps.factors.enrol({ serviceId, entityId: 'user-1', friendlyName: 'app' })
    await t.deps.recoveryCodes.generate(serviceId, 'user-1')

    const created = await fileRequest('user-1')
    expect(created.statusCode, created.body).toBe(201)
    const c = created.json()
    expect(c).toMatchObject({
      service_id: serviceId,
      entity_id: 'user-1',
      status: 'pending_approval',
      reason: 'lost every device',
      requested_by: 'agent-7',
      contacts: { phones: ['+447700900321'], emails: ['ada@example.com'] },
      approved_by: null,
      effective_at: null,
      finished_at: null,
    })
    expect(c.id).toMatch(/^rec_/)

    const approved = await post(`/v1/recovery/${c.id}/approve`, {
      approved_by: 'lead-1',
      reason: 'identity checked',
    })
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json()).toMatchObject({
      status: 'cooling_off',
      approved_by: 'lead-1',
      effective_at: new Date(t.clock.now() + DAY_MS).toISOString(),
    })
    const [notice] = await eventually(() => {
      const msgs = t.deps.simulator?.inbox.list({ to: '+447700900321' }) ?? []
      return msgs.length > 0 ? msgs : undefined
    })
    expect(notice?.body).toMatch(
      /^A reset of your Acme sign-in methods was approved and takes effect at .+ UTC\. If this was not you, contact support now\.$/,
    )

    t.clock.advance(DAY_MS)
    const done = await post(`/v1/recovery/${c.id}/complete`, {
      completed_by: 'lead-1',
      reason: 'cooling-off over',
    })
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toMatchObject({
      status: 'completed',
      finished_at: new Date(t.clock.now()).toISOString(),
    })
    expect(await t.deps.factors.list(serviceId, 'user-1')).toEqual([])
    expect((await t.deps.recoveryCodes.status(serviceId, 'user-1')).total).toBe(0)

    const read = await t.app.inject({
      method: 'GET',
      url: `/v1/recovery/${c.id}`,
      headers: t.auth(t.readKey),
    })
    expect(read.statusCode).toBe(200)
    const body = read.json()
    expect(body).toMatchObject({ id: c.id, status: 'completed' })
    expect(body.events.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['requested', 'agent-7'],
      ['approved', 'lead-1'],
      ['notice_sent', 'system'],
      ['notice_sent', 'system'],
      ['completed', 'lead-1'],
      ['factors_removed', 'system'],
    ])
    expect(body.events[1]).toMatchObject({ reason: 'identity checked', at: expect.stringMatching(/Z$/) })
    expect(body.events[5].data).toEqual({ totp_factors: 1, passkeys: 0, recovery_codes: 10 })
  })

  it('cancels during the cooling-off and lists the cases of an entity', async () => {
    const c = (await fileRequest('user-2', ['+447700900322'])).json()
    await post(`/v1/recovery/${c.id}/approve`, { approved_by: 'lead-1', reason: 'ok' })
    const canceled = await post(`/v1/recovery/${c.id}/cancel`, {
      canceled_by: 'agent-9',
      reason: 'user says it was not them',
    })
    expect(canceled.statusCode, canceled.body).toBe(200)
    expect(canceled.json()).toMatchObject({ status: 'canceled' })
    await eventually(() => (t.deps.simulator?.inbox.list({ to: '+447700900322' }) ?? []).length === 2)

    const list = await t.app.inject({
      method: 'GET',
      url: `/v1/services/${serviceId}/entities/user-2/recovery`,
      headers: t.auth(t.readKey),
    })
    expect(list.statusCode).toBe(200)
    expect(list.json().recovery_cases.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [c.id, 'canceled'],
    ])
  })
})
