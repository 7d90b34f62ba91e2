/** Overload protection by @fastify/under-pressure: 503 SERVER_OVERLOADED with Retry-After, /readyz drains. */
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, eventually } from '../../test/helpers/test-deps.js'

describe('overload protection (@fastify/under-pressure)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>> | undefined
  afterEach(async () => t?.close())

  it('past a threshold: 503 SERVER_OVERLOADED in the envelope with Retry-After; health and metrics still answer', async () => {
    // A heap threshold of 1 byte: overloaded from the first sample on.
    t = await buildTestApp({
      config: {
        overload: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 1, sampleIntervalMs: 20, retryAfterSeconds: 7 },
      },
    })
    const app = t.app
    const auth = t.auth()
    const refused = await eventually(async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/services', headers: auth })
      return res.statusCode === 503 ? res : undefined
    })
    expect(refused.headers['retry-after']).toBe('7')
    const body = refused.json()
    expect(body.error.code).toBe('SERVER_OVERLOADED')
    expect(body.error.request_id).toBe(refused.headers['x-request-id'])
    expect(body.error.message).toMatch(/overloaded \(heap used past its threshold\)/)
    expect(body.error.retry_after).toBe(7)
    expect(body.error.reason).toBe('heap_used')

    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200)
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.headers['retry-after']).toBe('7')
    expect(ready.json().error.code).toBe('SERVER_OVERLOADED')
  })

  it('under the thresholds: requests pass and /readyz shows the figures it judges by', async () => {
    t = await buildTestApp({
      config: { overload: { maxEventLoopDelayMs: 5000, maxRssBytes: 64 * 1024 ** 3, sampleIntervalMs: 20 } },
    })
    await new Promise((r) => setTimeout(r, 60))
    expect((await t.app.inject({ method: 'GET', url: '/v1/services', headers: t.auth() })).statusCode).toBe(
      200,
    )
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    const overload = ready.json().overload
    expect(overload.overloaded).toBe(false)
    expect(overload.rss_bytes).toBeGreaterThan(0)
    expect(overload.heap_used_bytes).toBeGreaterThan(0)
  })
})
