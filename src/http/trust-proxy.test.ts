/** The client IP behind a proxy: X-Forwarded-For counts only from the proxies named in `trustProxy`. */
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, createTestService } from '../../test/helpers/test-deps.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>

async function startFromBrowser(t: TestApp, to: string): Promise<unknown> {
  const service = await createTestService(t.deps)
  const { token } = await t.deps.clientSessions.mint({ serviceId: service.id })
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/client/verification',
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' },
    payload: { to, channel: 'sms' },
  })
  expect(res.statusCode, res.body).toBe(201)
  const events = await t.deps.verifier.events(res.json().id)
  return events.find((e) => e.type === 'created')?.data.client_ip
}

describe('trustProxy', () => {
  let t: TestApp
  afterEach(async () => t.close())

  it('ignores X-Forwarded-For by default: a client could forge it', async () => {
    t = await buildTestApp()
    expect(await startFromBrowser(t, '+447700900301')).toBe('127.0.0.1')
  })

  it('takes the client IP from X-Forwarded-For set by a trusted proxy', async () => {
    t = await buildTestApp({ config: { trustProxy: '127.0.0.1' } })
    expect(await startFromBrowser(t, '+447700900302')).toBe('203.0.113.9')
  })
})
