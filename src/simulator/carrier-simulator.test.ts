/** Each simulator test number produces the event sequence of the failure it reproduces. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildTestDeps,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { Service } from '../services/service.js'

describe('carrier simulator scenarios', () => {
  let ctx: TestContext
  let service: Service
  beforeEach(async () => {
    ctx = await buildTestDeps({
      config: {
        simulator: { deliveryDelayMs: 0, longDelayMs: 300 },
        dispatcher: { backoffBaseMs: 1, backoffMaxMs: 5 },
      },
    })
    ctx.deps.dispatcher.start()
    // One channel: each scenario's own outcome, with no fallback to a call (tested elsewhere).
    service = await createTestService(ctx.deps)
  })
  afterEach(async () => ctx.close())

  const run = async (to: string, until: (types: string[]) => boolean, channel: 'sms' | 'call' = 'sms') => {
    const { verification } = await ctx.deps.verifier.start({ serviceId: service.id, to, channel })
    let events: VerificationEvent[] = []
    await eventually(
      async () => {
        // Retries wait in (manual) clock time: let it move so backoff elapses.
        ctx.clock.advance(10)
        ctx.deps.dispatcher.kick()
        events = await ctx.deps.verifier.events(verification.id)
        return until(events.map((e) => e.type))
      },
      5000,
      20,
    )
    return events
  }

  it('delivered: handed to provider, then delivered, then in the inbox', async () => {
    const events = await run('+447700900001', (t) => t.includes('delivered'))
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[3]?.data).toMatchObject({
      outcome: 'delivered',
      raw_status: 'DELIVRD',
      provider: 'simulator',
    })
    expect(ctx.deps.simulator!.inbox.list({ to: '+447700900001' })).toHaveLength(1)
  })

  it('delivered late: handed over at once, receipt only after the long delay', async () => {
    const { verification } = await ctx.deps.verifier.start({
      serviceId: service.id,
      to: '+447700900002',
      channel: 'sms',
    })
    await eventually(async () =>
      (await ctx.deps.verifier.events(verification.id)).some((e) => e.type === 'handed_to_provider'),
    )
    expect((await ctx.deps.verifier.events(verification.id)).some((e) => e.type === 'delivered')).toBe(false)
    expect(ctx.deps.simulator!.inbox.list({ to: '+447700900002' })).toHaveLength(0)
    await eventually(
      async () => (await ctx.deps.verifier.events(verification.id)).some((e) => e.type === 'delivered'),
      3000,
    )
  })

  it.each([
    ['+447700900003', 'carrier_blocked', '045'],
    ['+447700900004', 'unreachable', '027'],
    ['+447700900005', 'unknown_subscriber', '001'],
  ])(
    '%s: accepted, then a failed receipt (%s) with the raw code; no other route, so given up',
    async (to, outcome, rawCode) => {
      const events = await run(to, (t) => t.includes('gave_up'))
      expect(events.map((e) => e.type)).toEqual([
        'created',
        'send_requested',
        'handed_to_provider',
        'delivery_failed',
        'gave_up',
      ])
      expect(events[3]?.data).toMatchObject({
        outcome,
        raw_status: 'UNDELIV',
        raw_code: rawCode,
        route: 'simulator:sms:*',
      })
      expect(ctx.deps.simulator!.inbox.list({ to })).toHaveLength(0)
    },
  )

  it("provider outage: every submit fails with 503 and is retried with capped backoff for the code's life, never given up; the code's end expires it", async () => {
    // Issue 12, observation 3: five submits from a 500 ms base then a give-up, while the code lived 10 minutes.
    const events = await run('+447700900006', (t) => t.filter((x) => x === 'submit_failed').length >= 8)
    const failures = events.filter((e) => e.type === 'submit_failed')
    expect(failures[0]?.data).toMatchObject({
      outcome: 'provider_error',
      raw_code: '503',
      http_status: 503,
      retryable: true,
      final: false,
    })
    for (const f of failures)
      expect(f.data).toMatchObject({ final: false, next_attempt_at: expect.any(Number) })
    expect(events.some((e) => e.type === 'handed_to_provider' || e.type === 'gave_up')).toBe(false)
    const [message] = await ctx.deps.verifier.messages(events[0]!.verificationId!)
    expect(message?.status).toBe('queued')
    // The code ends: the message is expired, and still nobody was told it failed.
    ctx.clock.advance(service.codeTtlSeconds * 1000)
    await ctx.deps.verifier.expireDue()
    ctx.deps.dispatcher.kick()
    await eventually(
      async () => (await ctx.deps.verifier.messages(events[0]!.verificationId!))[0]?.status === 'expired',
    )
    expect(
      (await ctx.deps.verifier.events(events[0]!.verificationId!)).some((e) => e.type === 'gave_up'),
    ).toBe(false)
  })

  it('provider throttling: two 429s, then accepted and delivered', async () => {
    const events = await run('+447700900007', (t) => t.includes('delivered'))
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'submit_failed',
      'submit_failed',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[2]?.data).toMatchObject({ outcome: 'provider_throttled', raw_code: '429', retryable: true })
    expect(events[4]?.data).toMatchObject({ attempt: 3 })
  })

  it('fixed line: a voice call gets through and reads the code', async () => {
    const events = await run('+442079460001', (t) => t.includes('delivered'), 'call')
    expect(events.map((e) => e.type)).toContain('handed_to_provider')
    const call = ctx.deps.simulator!.inbox.list({ to: '+442079460001' })[0]
    expect(call?.channel).toBe('call')
    expect(call?.body).toMatch(/(\d ){5}\d/)
  })

  it('carrier block filters text messages only: a voice call to the same number gets through', async () => {
    const sms = await run('+447700900003', (t) => t.includes('gave_up'), 'sms')
    expect(sms.find((e) => e.type === 'delivery_failed')?.data).toMatchObject({ outcome: 'carrier_blocked' })
    expect(ctx.deps.simulator!.inbox.list({ to: '+447700900003' })).toHaveLength(0)
    // A number switched to the scenario (the demo's switch) behaves the same way.
    ctx.deps.simulator!.setScenario('+447700900010', 'carrier_blocked')
    const call = await run('+447700900010', (t) => t.includes('delivered'), 'call')
    expect(call.map((e) => e.type)).toEqual(['created', 'send_requested', 'handed_to_provider', 'delivered'])
    expect(ctx.deps.simulator!.inbox.list({ to: '+447700900010' }).map((m) => m.channel)).toEqual(['call'])
  })

  it('fixed line by SMS through the provider (bypassing the phone check) is refused as not mobile', async () => {
    ctx.deps.simulator!.setScenario('+447700900009', 'fixed_line')
    const events = await run('+447700900009', (t) => t.includes('submit_failed'))
    expect(events.find((e) => e.type === 'submit_failed')?.data).toMatchObject({
      outcome: 'not_mobile',
      retryable: false,
      final: true,
    })
  })
})
