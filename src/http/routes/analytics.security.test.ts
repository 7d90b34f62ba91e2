/** The analytics routes need an API key with the read scope (verify and admin include it). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

const ROUTES = ['/v1/analytics/summary', '/v1/analytics/alerts']

describe('GET /v1/analytics/* security', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  for (const url of ROUTES) {
    it(`${url} refuses missing, malformed and unknown keys with 401`, async () => {
      for (const headers of [
        {},
        { authorization: 'Bearer hello' },
        { authorization: `Bearer vgk_${'a'.repeat(24)}_${'b'.repeat(43)}` },
      ]) {
        const res = await t.app.inject({ method: 'GET', url, headers })
        expect(res.statusCode).toBe(401)
        expect(res.json().error.code).toBe('UNAUTHORIZED')
      }
    })
    it(`${url} answers read, verify and admin keys`, async () => {
      for (const key of [t.readKey, t.verifyKey, t.adminKey]) {
        const res = await t.app.inject({ method: 'GET', url, headers: t.auth(key) })
        expect(res.statusCode).toBe(200)
      }
    })
  }
})
