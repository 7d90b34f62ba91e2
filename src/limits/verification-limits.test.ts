/** Every limit refuses with its name and the exact time to wait, and is recorded as an event. */
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('verification limits', () => {
  let ctx: TestContext
  afterEach(async () => ctx.close())

  const setup = async (limits: Record<string, unknown>) => {
    ctx = await buildTestDeps({ config: { limits } })
    return createTestService(ctx.deps)
  }

  it('sends per destination', async () => {
    const svc = await setup({ sendsPerDestination: { points: 2, durationSeconds: 600 } })
    const to = '+447700900201'
    const a = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
    await ctx.deps.verifier.cancel(a.verification.id)
    const b = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
    await ctx.deps.verifier.cancel(b.verification.id)
    const err = await refusal(ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' }))
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.status).toBe(429)
    expect(err.details.limit).toBe('sends_per_destination')
    expect(err.details.retry_after).toBeGreaterThan(590)
    expect(err.details.retry_after).toBeLessThanOrEqual(600)
    expect(err.headers['retry-after']).toBe(String(err.details.retry_after))
    expect(err.message).toMatch(/Try again in \d+ minutes/)
  })

  it('starts per client IP', async () => {
    const svc = await setup({ startsPerIp: { points: 2, durationSeconds: 3600 } })
    await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900211',
      channel: 'sms',
      clientIp: '198.51.100.7',
    })
    await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900212',
      channel: 'sms',
      clientIp: '198.51.100.7',
    })
    const err = await refusal(
      ctx.deps.verifier.start({
        serviceId: svc.id,
        to: '+447700900213',
        channel: 'sms',
        clientIp: '198.51.100.7',
      }),
    )
    expect(err.details.limit).toBe('starts_per_ip')
    expect(err.details.retry_after).toBeGreaterThan(3590)
    // Another IP is not affected.
    await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900213',
      channel: 'sms',
      clientIp: '198.51.100.8',
    })
    // The refusal is on record for support, found by destination.
    const events = await ctx.deps.db
      .selectFrom('verification_events')
      .selectAll()
      .where('type', '=', 'limit_hit')
      .execute()
    expect(events.map((e) => JSON.parse(e.data).limit)).toContain('starts_per_ip')
  })

  it('starts per service', async () => {
    const svc = await setup({ startsPerService: { points: 1, durationSeconds: 60 } })
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900221', channel: 'sms' })
    const err = await refusal(
      ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900222', channel: 'sms' }),
    )
    expect(err.details.limit).toBe('starts_per_service')
    expect(err.details.retry_after).toBeGreaterThan(55)
    expect(err.details.retry_after).toBeLessThanOrEqual(60)
  })

  it('global send budget', async () => {
    const svc = await setup({ globalSends: { points: 2, durationSeconds: 60 } })
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900231', channel: 'sms' })
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900232', channel: 'sms' })
    const err = await refusal(
      ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900233', channel: 'sms' }),
    )
    expect(err.details.limit).toBe('global_sends')
    expect(err.details.retry_after).toBeGreaterThan(55)
  })

  it('checks per destination', async () => {
    const svc = await setup({ checksPerDestination: { points: 2, durationSeconds: 600 } })
    const { verification } = await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900241',
      channel: 'sms',
    })
    await refusal(ctx.deps.verifier.check({ verificationId: verification.id, code: '000001' }))
    await refusal(ctx.deps.verifier.check({ verificationId: verification.id, code: '000002' }))
    const err = await refusal(ctx.deps.verifier.check({ verificationId: verification.id, code: '000003' }))
    expect(err.details.limit).toBe('checks_per_destination')
    expect(err.details.retry_after).toBeGreaterThan(590)
    // The refused check did not use one of the verification's attempts.
    expect((await ctx.deps.verifier.get(verification.id)).checkAttempts).toBe(2)
  })

  it('resend cooldown grows 30 s, 60 s, 120 s', async () => {
    const svc = await setup({})
    const { verification } = await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900251',
      channel: 'sms',
    })
    const waits: number[] = []
    for (const step of [30, 60, 120]) {
      const err = await refusal(ctx.deps.verifier.resend(verification.id))
      expect(err.details.limit).toBe('resend_cooldown')
      waits.push(err.details.retry_after as number)
      ctx.clock.advance(step * 1000)
      await ctx.deps.verifier.resend(verification.id)
    }
    expect(waits).toEqual([30, 60, 120])
    expect(ctx.deps.limits.resendCooldownMs(4)).toBe(240_000)
    expect(ctx.deps.limits.resendCooldownMs(9)).toBe(240_000)
  })

  it('max check attempts and max sends answer with when to retry', async () => {
    const svc = await setup({})
    const { verification } = await ctx.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900261',
      channel: 'sms',
    })
    for (let i = 0; i < 4; i++)
      await refusal(ctx.deps.verifier.check({ verificationId: verification.id, code: '999999' }))
    const last = await refusal(ctx.deps.verifier.check({ verificationId: verification.id, code: '999999' }))
    // The code is right in 1 of 10^6 cases; then the test would see 'approved' and fail loudly.
    expect(last.code).toBe('MAX_CHECK_ATTEMPTS_REACHED')
    expect(last.details.limit).toBe('max_check_attempts')
    expect(last.details.retry_after).toBeGreaterThanOrEqual(1)
  })

  it('starts per number prefix (SMS-pumping guard) answer FRAUD_SUSPECTED with the retry time', async () => {
    const svc = await setup({ startsPerPrefix: { points: 2, durationSeconds: 600 }, prefixDigits: 11 })
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900281', channel: 'sms' })
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900282', channel: 'sms' })
    const err = await refusal(
      ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900283', channel: 'sms' }),
    )
    expect(err.code).toBe('FRAUD_SUSPECTED')
    expect(err.status).toBe(403)
    expect(err.details).toMatchObject({ limit: 'starts_per_prefix' })
    expect(err.details.retry_after).toBeGreaterThan(590)
    await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900291', channel: 'sms' })
  })

  it('geo permissions refuse a country before anything is sent', async () => {
    ctx = await buildTestDeps({ config: { geo: { allowedCountries: ['GB'] } } })
    const svc = await createTestService(ctx.deps)
    const err = await refusal(
      ctx.deps.verifier.start({ serviceId: svc.id, to: '+33612345678', channel: 'sms' }),
    )
    expect(err.code).toBe('COUNTRY_NOT_ALLOWED')
    expect(err.details.country).toBe('FR')
    expect(
      (await ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900292', channel: 'sms' })).created,
    ).toBe(true)
  })

  it('lifting a limit lets the number through again', async () => {
    const svc = await setup({ sendsPerDestination: { points: 1, durationSeconds: 600 } })
    const to = '+447700900271'
    const a = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
    await ctx.deps.verifier.cancel(a.verification.id)
    await refusal(ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' }))
    await ctx.deps.limits.lift('sends_per_destination', to)
    expect((await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })).created).toBe(true)
  })
})
