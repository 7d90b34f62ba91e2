/** The code lifecycle through the real Verifier, stores and simulator, on SQLite (and PostgreSQL when configured). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  codeFromInbox,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'
import type { Service } from '../services/service.js'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}

for (const dialect of DIALECTS) {
  describe(`Verifier (${dialect})`, () => {
    let ctx: TestContext
    let service: Service
    const to = '+447700900123'

    beforeEach(async () => {
      ctx = await buildTestDeps({ dialect })
      ctx.deps.dispatcher.start()
      service = await createTestService(ctx.deps)
    })
    afterEach(async () => ctx.close())

    const start = (extra: Partial<Parameters<TestContext['deps']['verifier']['start']>[0]> = {}) =>
      ctx.deps.verifier.start({ serviceId: service.id, to, channel: 'sms', ...extra })
    const code = () => eventually(() => codeFromInbox(ctx.deps, to))

    it('sends a code and approves it once', async () => {
      const { verification, created } = await start()
      expect(created).toBe(true)
      expect(verification.status).toBe('pending')
      const c = await code()
      expect(c).toMatch(/^\d{6}$/)
      // The phone has the SMS; the receipt that says so is recorded right after.
      await eventually(async () =>
        (await ctx.deps.verifier.events(verification.id)).some((e) => e.type === 'delivered'),
      )
      const approved = await ctx.deps.verifier.check({ verificationId: verification.id, code: c })
      expect(approved.status).toBe('approved')
      const again = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: c }))
      expect(again.code).toBe('VERIFICATION_NOT_PENDING')
      const types = (await ctx.deps.verifier.events(verification.id)).map((e) => e.type)
      expect(types).toEqual(['created', 'send_requested', 'handed_to_provider', 'delivered', 'approved'])
    })

    it('binds a code to a payment: the same digits for another amount or payee are wrong', async () => {
      const transaction = { amount: 'EUR 10', payee: 'Shop' }
      const { verification } = await start({ customCode: '4821', transaction })
      expect(verification).toMatchObject({ codeLength: 4, transaction })
      expect((await ctx.deps.verifier.get(verification.id)).transaction).toEqual(transaction)
      const check = (t?: typeof transaction) =>
        ctx.deps.verifier.check({ verificationId: verification.id, code: '4821', transaction: t })
      expect((await rejection(check())).code).toBe('CODE_INCORRECT')
      expect((await rejection(check({ amount: 'EUR 11', payee: 'Shop' }))).code).toBe('CODE_INCORRECT')
      expect((await check(transaction)).status).toBe('approved')
    })

    it('resends inside the cooldown only when asked to skip it', async () => {
      const { verification } = await start()
      const refused = await rejection(ctx.deps.verifier.resend(verification.id))
      expect(refused.details.limit).toBe('resend_cooldown')
      const resent = await ctx.deps.verifier.resend(verification.id, { skipCooldown: true })
      expect(resent.sendCount).toBe(2)
    })

    it('never stores the code in clear', async () => {
      const { verification } = await start()
      const c = await code()
      const row = await ctx.deps.stores.verifications.get(verification.id)
      expect(JSON.stringify(row)).not.toContain(c)
      expect(row?.codeHmac).toMatch(/^t1:/)
    })

    it('checks by destination, accepting another format of the same number', async () => {
      await start()
      const c = await code()
      const v = await ctx.deps.verifier.check({
        serviceId: service.id,
        to: '07700 900123',
        defaultCountry: 'GB',
        code: c,
      })
      expect(v.status).toBe('approved')
    })

    it('refuses a wrong code with the attempts left, then closes after the maximum', async () => {
      const { verification } = await start()
      const c = await code()
      const wrong = c === '000000' ? '111111' : '000000'
      for (let left = 4; left >= 1; left--) {
        const err = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: wrong }))
        expect(err.code).toBe('CODE_INCORRECT')
        expect(err.details.attempts_left).toBe(left)
      }
      const last = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: wrong }))
      expect(last.code).toBe('MAX_CHECK_ATTEMPTS_REACHED')
      // Even the right code no longer works.
      const after = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: c }))
      expect(after.code).toBe('VERIFICATION_NOT_PENDING')
      expect((await ctx.deps.verifier.get(verification.id)).status).toBe('failed')
    })

    it('does not count a malformed code as an attempt', async () => {
      const { verification } = await start()
      const err = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: '12' }))
      expect(err.code).toBe('CODE_MALFORMED')
      expect((await ctx.deps.verifier.get(verification.id)).checkAttempts).toBe(0)
    })

    it('expires the code after its lifetime', async () => {
      const { verification } = await start()
      const c = await code()
      // The receipt's write lands after the inbox shows the message: let it, so 'expired' is last.
      await eventually(async () =>
        (await ctx.deps.verifier.events(verification.id)).some((e) => e.type === 'delivered'),
      )
      ctx.clock.advance(service.codeTtlSeconds * 1000)
      expect(await ctx.deps.verifier.expireDue()).toBe(1)
      const err = await rejection(ctx.deps.verifier.check({ verificationId: verification.id, code: c }))
      expect(err.code).toBe('VERIFICATION_EXPIRED')
      const v = await ctx.deps.verifier.get(verification.id)
      expect(v.status).toBe('expired')
      expect(v.codeCiphertext).toBeNull()
      expect((await ctx.deps.verifier.events(verification.id)).at(-1)?.type).toBe('expired')
    })

    it('consumes a code once under concurrent checks', async () => {
      const { verification } = await start()
      const c = await code()
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          ctx.deps.verifier.check({ verificationId: verification.id, code: c }),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      for (const r of results) {
        if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('VERIFICATION_NOT_PENDING')
      }
      expect(
        (await ctx.deps.verifier.events(verification.id)).filter((e) => e.type === 'approved'),
      ).toHaveLength(1)
    })

    it('a check that finds every attempt taken answers with the outcome of the check holding the last', async () => {
      const { verification } = await start()
      const c = await code()
      // The approving check is slow to finish: every other check finds the attempts used up while
      // the verification is still pending. They must say what it becomes (approved, so "not
      // pending"), never "too many attempts" to a right code whose twin is approving it.
      const store = ctx.deps.stores.verifications
      const finish = store.finish.bind(store)
      store.finish = async (...args: Parameters<typeof store.finish>) => {
        await new Promise((r) => setTimeout(r, 150))
        return finish(...args)
      }
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          ctx.deps.verifier.check({ verificationId: verification.id, code: c }),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []))
      expect(codes).toEqual(Array(7).fill('VERIFICATION_NOT_PENDING'))
    })

    it('re-sends the same code on resend, after a cooldown that grows', async () => {
      const { verification } = await start()
      const first = await code()
      const early = await rejection(ctx.deps.verifier.resend(verification.id))
      expect(early.code).toBe('RATE_LIMITED')
      expect(early.details.limit).toBe('resend_cooldown')
      expect(early.details.retry_after).toBe(30)
      ctx.clock.advance(30_000)
      await ctx.deps.verifier.resend(verification.id)
      await eventually(() => ctx.deps.simulator!.inbox.list({ to }).length === 2)
      expect(codeFromInbox(ctx.deps, to)).toBe(first)
      ctx.clock.advance(30_000)
      const second = await rejection(ctx.deps.verifier.resend(verification.id))
      expect(second.details.retry_after).toBe(30) // 60 s cooldown after the 2nd send, 30 s elapsed
      ctx.clock.advance(30_000)
      const v = await ctx.deps.verifier.resend(verification.id)
      expect(v.sendCount).toBe(3)
      // The first code still approves after resends (a late first SMS still works).
      expect((await ctx.deps.verifier.check({ verificationId: verification.id, code: first })).status).toBe(
        'approved',
      )
    })

    it('stops at the maximum number of sends', async () => {
      const small = await createTestService(ctx.deps, { maxSends: 2 })
      const { verification } = await ctx.deps.verifier.start({ serviceId: small.id, to, channel: 'sms' })
      ctx.clock.advance(30_000)
      await ctx.deps.verifier.resend(verification.id)
      ctx.clock.advance(600_000 - 60_000)
      const err = await rejection(ctx.deps.verifier.resend(verification.id))
      expect(err.code).toBe('MAX_SENDS_REACHED')
      expect(err.details.retry_after).toBe(30)
    })

    it('returns the pending verification for a second start to the same number', async () => {
      const a = await start()
      const b = await start()
      expect(b.created).toBe(false)
      expect(b.verification.id).toBe(a.verification.id)
    })

    it('replays an idempotent start, and refuses the key for a different request', async () => {
      const a = await start({ idempotencyKey: 'k-1' })
      const b = await start({ idempotencyKey: 'k-1' })
      expect(b.replayed).toBe(true)
      expect(b.verification.id).toBe(a.verification.id)
      const err = await rejection(start({ idempotencyKey: 'k-1', to: '+447700900124' }))
      expect(err.code).toBe('IDEMPOTENCY_KEY_REUSED')
    })

    it('cancels a pending verification', async () => {
      const { verification } = await start()
      expect((await ctx.deps.verifier.cancel(verification.id)).status).toBe('canceled')
      expect((await rejection(ctx.deps.verifier.cancel(verification.id))).code).toBe(
        'VERIFICATION_NOT_PENDING',
      )
    })

    it('refuses a channel the service does not allow', async () => {
      const smsOnly = await createTestService(ctx.deps, { channels: ['sms'] })
      const err = await rejection(ctx.deps.verifier.start({ serviceId: smsOnly.id, to, channel: 'call' }))
      expect(err.code).toBe('CHANNEL_NOT_ALLOWED')
    })

    it('refuses SMS to a landline and suggests a call; a call to it works', async () => {
      const err = await rejection(start({ to: '+442079460001' }))
      expect(err.code).toBe('PHONE_NUMBER_NOT_SMS_CAPABLE')
      expect((err.details.suggestion as { channel?: string }).channel).toBe('call')
      const { verification } = await start({ to: '+442079460001', channel: 'call' })
      const call = await eventually(() => ctx.deps.simulator!.inbox.list({ to: '+442079460001' })[0])
      expect(call.channel).toBe('call')
      expect(verification.channel).toBe('call')
    })
  })
}
