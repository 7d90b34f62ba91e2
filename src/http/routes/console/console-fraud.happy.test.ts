/** The console's Fraud guard page: what is blocked and why, lifting a block with a reason (audited), roles. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStaff, type ConsoleBrowser, consoleSignIn } from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'

describe('console fraud guard page', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let support: ConsoleBrowser
  let viewer: ConsoleBrowser
  let serviceId: string

  const start = (to: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(),
      payload: { service_id: serviceId, to },
    })

  beforeAll(async () => {
    t = await buildTestApp({ config: { fraud: { unprovenRangeStarts: 3 } } })
    await addStaff(t.deps, 'sam@example.com', 'support')
    await addStaff(t.deps, 'val@example.com', 'viewer')
    support = await consoleSignIn(t.app, { email: 'sam@example.com' })
    viewer = await consoleSignIn(t.app, { email: 'val@example.com' })
    serviceId = (await createTestService(t.deps)).id
    for (const to of ['+447911120001', '+447911120002', '+447911120003'])
      expect((await start(to)).statusCode).toBe(201)
    expect((await start('+447911120004')).statusCode).toBe(403)
  })
  afterAll(async () => t?.close())

  it('lists the block with its range and figures; a viewer sees it but cannot lift it', async () => {
    const page = await support.get('/console/fraud')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('+44791112')
    expect(page.body).toContain('3 codes sent, none entered')
    expect(page.body).toContain('Lift this block')
    const asViewer = await viewer.get('/console/fraud')
    expect(asViewer.body).toContain('+44791112')
    expect(asViewer.body).not.toContain('Lift this block')
    const key = /name="key" value="([^"]+)"/.exec(page.body)?.[1]?.replaceAll('&#124;', '|')
    expect(key).toBeDefined()
    const refused = await viewer.post('/console/fraud/lift', { key: key!, reason: 'x' })
    expect(refused.statusCode).toBe(403)
  })

  it('support lifts it with a reason: audited, and the range takes starts again', async () => {
    const page = await support.get('/console/fraud')
    const key = /name="key" value="([^"]+)"/.exec(page.body)?.[1]?.replaceAll('&#124;', '|')
    const noReason = await support.post('/console/fraud/lift', { key: key! })
    expect(noReason.statusCode).toBe(400)
    const lifted = await support.post('/console/fraud/lift', {
      key: key!,
      reason: 'Ticket 77: customer campaign',
    })
    expect(lifted.statusCode).toBe(303)
    expect(lifted.headers.location).toBe('/console/fraud?done=lifted')
    expect((await start('+447911120005')).statusCode).toBe(201)
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'fraud.lift')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ target: key, reason: 'Ticket 77: customer campaign' })
    expect((await support.get('/console/fraud')).body).toContain('Lifted by sam@example.com')
    const again = await support.post('/console/fraud/lift', { key: key!, reason: 'again' })
    expect(again.statusCode).toBe(404)
  })

  it('the diagnosis of a refused number says the fraud guard refused it and how to lift it', async () => {
    const other = (await createTestService(t.deps)).id
    for (const to of ['+447911130001', '+447911130002', '+447911130003'])
      await t.deps.verifier.start({ serviceId: other, to, channel: 'sms' })
    await expect(
      t.deps.verifier.start({ serviceId: other, to: '+447911130004', channel: 'sms' }),
    ).rejects.toMatchObject({ code: 'FRAUD_SUSPECTED' })
    const d = await t.deps.diagnostician.diagnoseNumber('+447911130004', { serviceId: other })
    const text = JSON.stringify(d)
    expect(text).toContain('fraud_guard')
    expect(text).toContain('Fraud guard page')
  })
})
