/** The hosted page and the demo when things are off: unknown tokens, hostile tokens, production. */
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('pages: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>> | undefined
  afterEach(async () => t?.close())

  it('an unknown token still gets the page (the widget explains it) and the token is escaped', async () => {
    t = await buildTestApp()
    const res = await t.app.inject({
      method: 'GET',
      url: `/verify/${encodeURIComponent('"><img src=x onerror=alert(1)>')}`,
    })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('token="&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"')
    expect(res.body).not.toContain('<img')
    expect(res.body).toContain('<title>Verification</title>')
  })

  it('the demo is off when the simulator is off', async () => {
    t = await buildTestApp({ config: { simulator: { enabled: false, deliveryDelayMs: 0 } } })
    const page = await t.app.inject({ method: 'GET', url: '/demo' })
    expect(page.statusCode).toBe(404)
    expect(page.json().error.code).toBe('SIMULATOR_DISABLED')
    const session = await t.app.inject({ method: 'POST', url: '/demo/session', payload: {} })
    expect(session.statusCode).toBe(404)
    expect(session.json().error.code).toBe('SIMULATOR_DISABLED')
  })

  it('the demo is off in production even with the simulator named', async () => {
    t = await buildTestApp({
      config: {
        env: 'production',
        simulator: { enabled: true, deliveryDelayMs: 0 },
        secrets: { keys: ['t1:test-secret-test-secret-test-secret-0001'] },
      },
    })
    expect((await t.app.inject({ method: 'GET', url: '/demo' })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'POST', url: '/demo/session', payload: {} })).statusCode).toBe(404)
  })

  it('POST /demo/session refuses unknown fields', async () => {
    t = await buildTestApp()
    const res = await t.app.inject({ method: 'POST', url: '/demo/session', payload: { service_id: 'svc_x' } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
  })
})
