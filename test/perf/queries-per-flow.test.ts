/**
 * Queries per flow (docs/performance.md): the SQL statements one start and one check run through
 * Kysely, counted on the request path (the dispatcher is not started, so its sends do not mix in).
 * A change that adds a read to the hot path fails here; lower the bounds when a change removes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, codeFromInbox, eventually } from '../helpers/test-deps.js'

describe('queries per flow', () => {
  const seen: string[] = []
  let counting = false
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp({
      // As in the bench: the guard still judges and counts each start, in its own memory store.
      config: { fraud: { mode: 'shadow' } },
      overrides: {
        onQuery: (sqlText) => {
          if (counting) seen.push(sqlText)
        },
      },
    })
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Queries' },
    })
    serviceId = svc.json().id
    // A webhook endpoint: events on the request path look it up (the 'created' and 'approved' events).
    const hook = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url: 'https://example.com/hook' },
    })
    expect(hook.statusCode, hook.body).toBeLessThan(300)
  })
  afterAll(async () => t.close())

  async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; queries: string[] }> {
    seen.length = 0
    counting = true
    const value = await fn()
    // Listeners (webhooks, metrics) run after the answer; let them finish inside the count.
    await new Promise((r) => setTimeout(r, 50))
    counting = false
    return { value, queries: [...seen] }
  }

  async function flow(to: string) {
    const start = await counted(() =>
      t.app.inject({
        method: 'POST',
        url: '/v1/verifications',
        headers: t.auth(t.verifyKey),
        payload: { service_id: serviceId, to },
      }),
    )
    expect(start.value.statusCode, start.value.body).toBe(201)
    const id = start.value.json().id as string
    const code = (await t.deps.verifier.codeToSend(id, t.clock.now()))?.code
    const check = await counted(() =>
      t.app.inject({
        method: 'POST',
        url: `/v1/verifications/${id}/check`,
        headers: t.auth(t.verifyKey),
        payload: { code },
      }),
    )
    expect(check.value.statusCode, check.value.body).toBe(200)
    expect(check.value.json().status).toBe('approved')
    return { start: start.queries, check: check.queries }
  }

  it('a start and a check run a fixed, small number of statements', async () => {
    await flow('+447700900001') // warms the caches (service, API key, webhook endpoint)
    const { start, check } = await flow('+447700900002')
    console.log(
      `start: ${start.length}\n  ${start.join('\n  ')}\ncheck: ${check.length}\n  ${check.join('\n  ')}`,
    )
    // Before issue 18: start 7, check 11 (the check read the verification three times: the check
    // itself, the webhook payload, the approval metric; and the revoker listed messages and
    // hand-overs with no provider able to revoke).
    // start: pending lookup, the verification, its outbox row, its events, the webhook delivery.
    expect(start.length).toBeLessThanOrEqual(5)
    // check: one read, the counted attempt, the compare-and-set, the event, the webhook delivery.
    expect(check.length).toBeLessThanOrEqual(5)
    const reads = (qs: string[], table: string) => qs.filter((q) => q.startsWith(`select * from "${table}"`))
    expect(reads(check, 'verifications')).toHaveLength(1)
    expect(reads([...start, ...check], 'webhook_endpoints')).toHaveLength(0) // cached per service
  })

  it('an endpoint changed through this process is seen by the next event at once', async () => {
    await t.app.inject({ method: 'DELETE', url: `/v1/services/${serviceId}/webhook`, headers: t.auth() })
    const { start } = await flow('+447700900003')
    expect(start.filter((q) => q.includes('webhook_deliveries'))).toHaveLength(0)
  })
})

describe('queries per complete flow, the dispatcher running', () => {
  it('start, hand-over, receipt and check run at most 15 statements a flow', {
    timeout: 60_000,
  }, async () => {
    let counting = false
    const seen: string[] = []
    const t = await buildTestApp({
      realClock: true,
      // No drain on a timer: a slow machine's extra poll ticks (a claim that finds nothing) are not
      // the flow's statements, and without them any claim counted is one a start caused.
      config: { fraud: { mode: 'shadow' }, dispatcher: { pollIntervalMs: 60_000 } },
      overrides: {
        onQuery: (sqlText) => {
          if (counting) seen.push(sqlText)
        },
      },
    })
    try {
      t.deps.dispatcher.start()
      const svc = await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Flows' },
      })
      const serviceId = svc.json().id as string
      let n = 0
      const flow = async () => {
        const to = `+44770090${String(100 + n++).padStart(4, '0')}`
        const started = await t.app.inject({
          method: 'POST',
          url: '/v1/verifications',
          headers: t.auth(t.verifyKey),
          payload: { service_id: serviceId, to },
        })
        const id = started.json().id as string
        const code = await eventually(() => codeFromInbox(t.deps, to), 5000, 1)
        // The receipt is written after the SMS reaches the inbox: wait for it, so it is counted.
        await eventually(async () => (await t.deps.verifier.messages(id))[0]?.status === 'delivered', 5000, 1)
        const checked = await t.app.inject({
          method: 'POST',
          url: `/v1/verifications/${id}/check`,
          headers: t.auth(t.verifyKey),
          payload: { code },
        })
        expect(checked.json().status).toBe('approved')
      }
      await flow() // warms the caches
      const flows = 10
      counting = true
      for (let i = 0; i < flows; i++) await flow()
      await new Promise((r) => setTimeout(r, 100))
      counting = false
      // The test's own reads (the message status it polls) are not the flow's.
      const own = seen.filter((q) => q.startsWith('select * from "outbox" where "verification_id"')).length
      const perFlow = (seen.length - own) / flows
      // Measured 17.0 with the statements of issue 18 (2026-12-05): the start's 4 (pending lookup,
      // verification, outbox row, events), the claim, the code read, the hand-over's 3, the
      // receipt's 4 (lookup, hop, message, event), the check's 4. Then 15.0: a start's message is
      // written claimed and handed to the running dispatcher with its code (delivery/fresh-sends.ts),
      // so neither the claim nor the code read runs for it.
      expect(perFlow, seen.slice(0, 40).join('\n')).toBeLessThanOrEqual(15)
      const claims = seen.filter((q) => q.includes('"attempts" = "attempts" +'))
      expect(claims, claims.join('\n')).toHaveLength(0)
    } finally {
      await t.close()
    }
  })
})
