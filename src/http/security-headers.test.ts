/** helmet's headers on each surface: the pages' strict CSP, the console's and the reference's own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestService } from '../../test/helpers/test-deps.js'
import { buildApp } from '../app.js'
import { cspHeader, PAGE_CSP_DIRECTIVES, REFERENCE_CSP_DIRECTIVES } from './security-headers.js'

describe('security headers (@fastify/helmet)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t.close())

  it('every answer, JSON included, carries nosniff, no-referrer and same-origin resource policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/services', headers: t.auth() })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin')
    expect(res.headers['content-security-policy']).toBe(cspHeader(PAGE_CSP_DIRECTIVES))
    // Errors and unknown routes too.
    const missing = await t.app.inject({ method: 'GET', url: '/nowhere' })
    expect(missing.headers['x-content-type-options']).toBe('nosniff')
  })

  it('the hosted page: the strict page CSP, no inline script, framed only by this origin', async () => {
    const service = await createTestService(t.deps)
    const { token } = await t.deps.clientSessions.mint({ serviceId: service.id })
    const res = await t.app.inject({ method: 'GET', url: `/verify/${token}` })
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;connect-src 'self';frame-ancestors 'self';base-uri 'none';form-action 'self'",
    )
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('the console is never framed and keeps its origin in the Referer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/console/login' })
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.headers['referrer-policy']).toBe('same-origin')
    expect(res.headers['content-security-policy']).toBe(cspHeader(PAGE_CSP_DIRECTIVES))
  })

  it("the client API's answers can be loaded by other sites (the widget's QR image)", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/client/session' })
    expect(res.statusCode).toBe(401)
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
  })

  it('the API reference gets its own CSP (Scalar: one inline script, blob: workers), nothing wider', async () => {
    const app = await buildApp(t.deps)
    try {
      const res = await app.inject({ method: 'GET', url: '/docs/' })
      expect(res.statusCode).toBe(200)
      const csp = res.headers['content-security-policy']
      expect(csp).toBe(cspHeader(REFERENCE_CSP_DIRECTIVES))
      expect(csp).toContain("script-src 'self' 'unsafe-inline'")
      expect(csp).not.toMatch(/https?:/)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
    } finally {
      await app.close()
    }
  })
})
