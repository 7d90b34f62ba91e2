/** Console staff limited to services see and act on those services only; scoped API keys cannot open it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleSignIn } from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'
import { mintApiKey } from '../../../auth/api-key.js'

const NUMBER = '+447700900888'

describe('console: staff limited to services', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let verA: string
  let verB: string
  beforeAll(async () => {
    t = await buildTestApp()
    const a = await createTestService(t.deps, { name: 'Tenant A' })
    const b = await createTestService(t.deps, { name: 'Tenant B' })
    verA = (await t.deps.verifier.start({ serviceId: a.id, to: NUMBER, channel: 'sms' })).verification.id
    verB = (await t.deps.verifier.start({ serviceId: b.id, to: NUMBER, channel: 'sms' })).verification.id
    await t.deps.support.staff.add({
      email: 'a-support@example.com',
      role: 'support',
      password: 'correct horse battery',
      services: [a.id],
    })
  })
  afterAll(async () => t.close())

  it("shows only the member's services' verifications and refuses the others'", async () => {
    const member = await consoleSignIn(t.app, { email: 'a-support@example.com' })
    const found = await member.post('/console/search', { q: NUMBER })
    const location = String(found.headers.location ?? '')
    const page = location ? await member.get(location) : found
    expect(page.body).toContain(verA)
    expect(page.body).not.toContain(verB)
    const cancelB = await member.post(`/console/verifications/${verB}/cancel`, { reason: 'x' })
    expect(cancelB.statusCode).toBe(404)
    expect((await t.deps.verifier.get(verB)).status).toBe('pending')
    const cancelA = await member.post(`/console/verifications/${verA}/cancel`, { reason: 'asked' })
    expect(cancelA.statusCode).toBe(303)
    const ref = /ref=([^&#]+)/.exec(location || String(cancelA.headers.location))?.[1]
    const safe = await member.post('/console/person/safe-list', {
      ref: decodeURIComponent(ref ?? ''),
      op: 'add',
      reason: 'x',
    })
    expect(safe.statusCode).toBe(403)
  })

  it('an admin API key limited to services cannot open the console', async () => {
    const { key, token } = mintApiKey('tenant', ['admin'], t.clock.now(), ['svc_x'])
    await t.deps.stores.apiKeys.insert(key)
    await expect(consoleSignIn(t.app, { apiKey: token })).rejects.toThrow(/sign-in failed: 401/)
  })
})
