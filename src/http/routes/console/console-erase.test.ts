/** The console's erasure action: admins only, with a reason, audited under the pseudonym. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStaff, consoleSignIn } from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'
import { pseudonymOf } from '../../../privacy/pseudonym.js'

const NUMBER = '+447700900777'

describe('console: erase a person', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let verificationId: string
  beforeAll(async () => {
    t = await buildTestApp()
    const service = await createTestService(t.deps)
    verificationId = (await t.deps.verifier.start({ serviceId: service.id, to: NUMBER, channel: 'sms' }))
      .verification.id
    await addStaff(t.deps, 'admin@example.com', 'admin')
    await addStaff(t.deps, 'support@example.com', 'support')
  })
  afterAll(async () => t.close())

  const personRef = async (browser: Awaited<ReturnType<typeof consoleSignIn>>) => {
    const found = await browser.post('/console/search', { q: NUMBER })
    const location = String(found.headers.location ?? '')
    const m = /ref=([^&]+)/.exec(location) ?? /name="ref" value="([^"]+)"/.exec(found.body)
    if (!m) throw new Error(`no person ref: ${found.statusCode} ${location}`)
    return decodeURIComponent(m[1]!)
  }

  it('support staff do not see or may not use it', async () => {
    const support = await consoleSignIn(t.app, { email: 'support@example.com' })
    const ref = await personRef(support)
    const page = await support.get(`/console/person?ref=${encodeURIComponent(ref)}`)
    expect(page.body).not.toContain('/console/person/erase')
    const res = await support.post('/console/person/erase', { ref, reason: 'asked' })
    expect(res.statusCode).toBe(403)
    expect((await t.deps.verifier.get(verificationId)).destination).toBe(NUMBER)
  })

  it('an admin erases with a reason; the number is gone and the audit names the pseudonym', async () => {
    const admin = await consoleSignIn(t.app, { email: 'admin@example.com' })
    const ref = await personRef(admin)
    const page = await admin.get(`/console/person?ref=${encodeURIComponent(ref)}`)
    expect(page.body).toContain('/console/person/erase')
    const noReason = await admin.post('/console/person/erase', { ref })
    expect(noReason.statusCode).toBe(400)
    const res = await admin.post('/console/person/erase', { ref, reason: `ticket 77 for ${NUMBER}` })
    expect(res.statusCode).toBe(303)
    expect(String(res.headers.location)).toContain('done=erased')
    const v = await t.deps.verifier.get(verificationId)
    expect(v.status).toBe('canceled')
    expect(v.destination).toBe(pseudonymOf(t.deps.keyring, NUMBER))
    const [entry] = await t.deps.support.audit.list({ limit: 1, action: 'subject.erase' })
    expect(entry?.actor).toBe('admin@example.com')
    expect(entry?.target).toBe(pseudonymOf(t.deps.keyring, NUMBER))
    expect(entry?.reason).not.toContain('7700900777')
  })
})
