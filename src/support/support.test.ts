/**
 * The console's domain on the real dependency graph: session lifetime and idle timeout, sign-in
 * throttling, the safe list's effect on limits, reasons required and every action audited.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS, type Dialect } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  createTestKey,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'
import type { Actor } from './audit.js'
import type { Support } from './support.js'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

const PASSWORD = 'correct horse battery'

describe('support console domain', () => {
  let ctx: TestContext
  let support: Support
  afterEach(async () => ctx?.close())

  const setup = async (config: Record<string, unknown> = {}, dialect: Dialect = 'sqlite') => {
    // On PostgreSQL the limit counters live in the test's own schema (the `postgres` limit store).
    ctx = await buildTestDeps({ dialect, config })
    support = ctx.deps.support
  }
  const actor = (role: Actor['role'], name = `${role}@example.com`): Actor => ({
    name,
    role,
    ip: '198.51.100.1',
  })

  describe('sessions', () => {
    it('end at the fixed lifetime even when active', async () => {
      await setup({ console: { sessionTtlSeconds: 3600, idleTimeoutSeconds: 1800 } })
      const m = await support.staff.add({ email: 'a@example.com', role: 'support', password: PASSWORD })
      const { token } = await support.sessions.open({ staffId: m.id, actor: m.email, role: m.role })
      for (let i = 0; i < 3; i++) {
        ctx.clock.advance(1_000_000)
        expect(await support.sessions.resolve(token)).toMatchObject({
          actor: 'a@example.com',
          role: 'support',
        })
      }
      ctx.clock.advance(600_000) // 3 600 s since sign-in
      expect(await support.sessions.resolve(token)).toBeUndefined()
    })

    it('end after the idle timeout, are stored only as a hash, and end on sign-out', async () => {
      await setup({ console: { idleTimeoutSeconds: 600 } })
      const m = await support.staff.add({ email: 'a@example.com', role: 'viewer', password: PASSWORD })
      const { token, session } = await support.sessions.open({ staffId: m.id, actor: m.email, role: m.role })
      const rows = await ctx.deps.db.selectFrom('staff_sessions').selectAll().execute()
      expect(rows).toHaveLength(1)
      expect(JSON.stringify(rows)).not.toContain(token)
      expect(rows[0]!.token_hash).toBe(session.tokenHash)
      ctx.clock.advance(599_000)
      expect(await support.sessions.resolve(token)).toBeDefined()
      ctx.clock.advance(599_000) // touched a moment ago, so still alive
      expect(await support.sessions.resolve(token)).toBeDefined()
      ctx.clock.advance(600_000)
      expect(await support.sessions.resolve(token)).toBeUndefined()

      const second = await support.sessions.open({ staffId: m.id, actor: m.email, role: m.role })
      await support.sessions.close(second.token)
      expect(await support.sessions.resolve(second.token)).toBeUndefined()
      expect(await support.sessions.resolve('not-a-token')).toBeUndefined()
    })

    it('follow the account: a disabled member is signed out, a role change applies at once', async () => {
      await setup()
      const m = await support.staff.add({ email: 'a@example.com', role: 'support', password: PASSWORD })
      const { token } = await support.sessions.open({ staffId: m.id, actor: m.email, role: m.role })
      await support.staff.setRole(m.id, 'viewer')
      expect((await support.sessions.resolve(token))?.role).toBe('viewer')
      await support.staff.disable(m.id)
      expect(await support.sessions.resolve(token)).toBeUndefined()
      expect(await support.staff.authenticate('a@example.com', PASSWORD)).toBeUndefined()
    })
  })

  describe('sign-in', () => {
    it('is throttled after the allowed failures, with the time to wait, even for the right password', async () => {
      await setup({ console: { loginAttempts: { points: 3, durationSeconds: 900 } } })
      await support.staff.add({ email: 'a@example.com', role: 'admin', password: PASSWORD })
      for (let i = 0; i < 3; i++) {
        expect(
          (await rejection(support.login.withPassword('a@example.com', 'wrong password!', '203.0.113.9')))
            .code,
        ).toBe('CONSOLE_LOGIN_FAILED')
      }
      const throttled = await rejection(support.login.withPassword('a@example.com', PASSWORD, '203.0.113.9'))
      expect(throttled.code).toBe('CONSOLE_LOGIN_THROTTLED')
      expect(throttled.status).toBe(429)
      expect(throttled.message).toMatch(/Try again in 15 minutes/)
      expect(Number(throttled.details.retry_after)).toBeGreaterThan(800)
      expect(throttled.headers['retry-after']).toBe(String(throttled.details.retry_after))
      // The same network is throttled for other accounts too.
      expect(
        (await rejection(support.login.withPassword('b@example.com', PASSWORD, '203.0.113.9'))).code,
      ).toBe('CONSOLE_LOGIN_THROTTLED')
      // Failures are audited without the password.
      const failed = await support.audit.list({ action: 'console.login_failed', limit: 10 })
      expect(failed).toHaveLength(3)
      expect(JSON.stringify(failed)).not.toContain('wrong password')
    })

    it('a success clears the account counter; unknown emails fail like wrong passwords', async () => {
      await setup({ console: { loginAttempts: { points: 2, durationSeconds: 900 } } })
      await support.staff.add({ email: 'a@example.com', role: 'admin', password: PASSWORD })
      await rejection(support.login.withPassword('a@example.com', 'nope nope nope', '203.0.113.1'))
      await support.login.withPassword('A@Example.com ', PASSWORD, '203.0.113.2')
      await rejection(support.login.withPassword('a@example.com', 'nope nope nope', '203.0.113.3'))
      await expect(
        support.login.withPassword('a@example.com', PASSWORD, '203.0.113.4'),
      ).resolves.toBeDefined()
      const unknown = await rejection(
        support.login.withPassword('ghost@example.com', PASSWORD, '203.0.113.5'),
      )
      expect(unknown.code).toBe('CONSOLE_LOGIN_FAILED')
    })

    it('an admin API key acts as admin and is named by its id; other keys are refused', async () => {
      await setup()
      const admin = await createTestKey(ctx.deps, ['admin'])
      const verify = await createTestKey(ctx.deps, ['verify'])
      const { principal } = await support.login.withApiKey(admin, null)
      expect(principal).toMatchObject({
        role: 'admin',
        staffId: null,
        actor: `api-key key_${admin.slice(4, 28)}`,
      })
      expect((await rejection(support.login.withApiKey(verify, null))).message).toMatch(/admin scope/)
      expect((await rejection(support.login.withApiKey('vgk_nonsense', null))).code).toBe(
        'CONSOLE_LOGIN_FAILED',
      )
    })
  })

  describe.each(DIALECTS)('safe list (%s)', (dialect) => {
    it('lets a safe-listed number past the per-destination send limit and the SMS-pumping guard', async () => {
      await setup(
        {
          limits: {
            sendsPerDestination: { points: 1, durationSeconds: 600 },
            startsPerPrefix: { points: 1, durationSeconds: 600 },
          },
        },
        dialect,
      )
      const svc = await createTestService(ctx.deps)
      const to = '+447700900301'
      const first = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
      await ctx.deps.verifier.cancel(first.verification.id)
      const refused = await rejection(ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' }))
      expect(refused.code).toBe('FRAUD_SUSPECTED')
      await support.actions.safeListAdd(actor('support'), to, 'Known customer, ticket 12')
      const second = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
      expect(second.created).toBe(true)
      // A neighbour in the same range is still guarded; the global budget still applies to everyone.
      expect(
        (await rejection(ctx.deps.verifier.start({ serviceId: svc.id, to: '+447700900302', channel: 'sms' })))
          .code,
      ).toBe('FRAUD_SUSPECTED')
      await support.actions.safeListRemove(actor('support'), to, 'Case closed')
      await ctx.deps.verifier.cancel(second.verification.id)
      expect(
        (await rejection(ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' }))).status,
      ).toBeGreaterThanOrEqual(403)
    })
  })

  describe('actions', () => {
    it('each needs a reason (VALIDATION_FAILED on reason) and is audited with it', async () => {
      await setup({ limits: { resendCooldownSeconds: [0] } })
      const svc = await createTestService(ctx.deps)
      const to = '+447700900311'
      const { verification } = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
      const who = actor('support')
      const calls: Array<[string, (reason: string | undefined) => Promise<unknown>]> = [
        ['number.reveal', (r) => support.actions.reveal(who, to, r)],
        ['limit.lift', (r) => support.actions.liftLimits(who, to, r)],
        ['safe_list.add', (r) => support.actions.safeListAdd(who, to, r)],
        ['safe_list.remove', (r) => support.actions.safeListRemove(who, to, r)],
        ['verification.resend', (r) => support.actions.resend(who, verification.id, 'call', r)],
        ['verification.cancel', (r) => support.actions.cancel(who, verification.id, r)],
        [
          'recovery.request',
          (r) => support.actions.requestRecovery(who, { serviceId: svc.id, entityId: 'user-1', reason: r }),
        ],
      ]
      for (const [action, call] of calls) {
        for (const missing of [undefined, '', '   ', 'x'.repeat(501)]) {
          const err = await rejection(call(missing))
          expect(err.code, action).toBe('VALIDATION_FAILED')
          expect(err.status).toBe(400)
          expect(err.details.field).toBe('reason')
        }
        expect(
          await support.audit.list({ action, limit: 5 }),
          `${action} not audited when refused for the reason`,
        ).toHaveLength(0)
        await call(`  reason for ${action}  `)
        const [entry] = await support.audit.list({ action, limit: 5 })
        expect(entry, action).toMatchObject({
          actor: 'support@example.com',
          actorRole: 'support',
          reason: `reason for ${action}`,
          ip: '198.51.100.1',
        })
        expect(entry!.details.outcome).toBe('done')
      }
      const messages = await ctx.deps.stores.outbox.listForVerification(verification.id)
      expect(messages.map((m) => m.channel)).toEqual(['sms', 'call'])
      expect((await ctx.deps.stores.verifications.get(verification.id))?.status).toBe('canceled')
    })

    it("resends on a chosen route: the channel's other routes are kept out of that send", async () => {
      await setup({
        limits: { resendCooldownSeconds: [0] },
        providers: [
          { type: 'simulator', id: 'sms-a', channels: ['sms'] },
          { type: 'simulator', id: 'sms-b', channels: ['sms'] },
        ],
        routing: { routes: [{ provider: 'sms-a' }, { provider: 'sms-b' }] },
      })
      ctx.deps.dispatcher.start()
      const svc = await createTestService(ctx.deps)
      const { verification } = await ctx.deps.verifier.start({
        serviceId: svc.id,
        to: '+447700900331',
        channel: 'sms',
      })
      const routed = async (n: number) =>
        eventually(async () => {
          const m = await ctx.deps.stores.outbox.listForVerification(verification.id)
          return m.length === n && m.every((x) => x.routeId) ? m.map((x) => x.routeId) : undefined
        })
      expect(await routed(1)).toEqual(['sms-a:sms:*'])
      await support.actions.resend(
        actor('support'),
        verification.id,
        undefined,
        'Carrier filters sms-a',
        'sms-b:sms:*',
      )
      expect(await routed(2)).toEqual(['sms-a:sms:*', 'sms-b:sms:*'])
      const [entry] = await support.audit.list({ action: 'verification.resend', limit: 1 })
      expect(entry?.details).toMatchObject({ route: 'sms-b:sms:*', outcome: 'done' })

      const err = await rejection(
        support.actions.resend(actor('support'), verification.id, undefined, 'Try it', 'nowhere:sms:*'),
      )
      expect(err.code).toBe('VALIDATION_FAILED')
      expect(err.details).toMatchObject({ field: 'route', allowed: ['sms-a:sms:*', 'sms-b:sms:*'] })
      expect(err.message).toContain('sms-a:sms:*, sms-b:sms:*')
      await ctx.deps.dispatcher.stop()
    })

    it('a refused action is audited with its error code, and viewers can neither act nor reveal', async () => {
      await setup()
      const svc = await createTestService(ctx.deps)
      const { verification } = await ctx.deps.verifier.start({
        serviceId: svc.id,
        to: '+447700900321',
        channel: 'sms',
      })
      await ctx.deps.verifier.cancel(verification.id)
      const err = await rejection(support.actions.cancel(actor('admin'), verification.id, 'duplicate ticket'))
      expect(err.code).toBe('VERIFICATION_NOT_PENDING')
      const [entry] = await support.audit.list({ action: 'verification.cancel', limit: 1 })
      expect(entry?.details).toMatchObject({ outcome: 'refused', error_code: 'VERIFICATION_NOT_PENDING' })

      const viewer = actor('viewer')
      expect((await rejection(support.actions.reveal(viewer, '+447700900321', 'curious'))).code).toBe(
        'CONSOLE_ROLE_FORBIDDEN',
      )
      expect((await rejection(support.actions.liftLimits(viewer, '+447700900321', 'x'))).code).toBe(
        'CONSOLE_ROLE_FORBIDDEN',
      )
      expect(await support.audit.list({ action: 'number.reveal', limit: 5 })).toHaveLength(0)
    })

    it.each(DIALECTS)('lifting clears the counters that refused the number (%s)', async (dialect) => {
      await setup({ limits: { sendsPerDestination: { points: 1, durationSeconds: 600 } } }, dialect)
      const svc = await createTestService(ctx.deps)
      const to = '+447700900331'
      const a = await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })
      await ctx.deps.verifier.cancel(a.verification.id)
      expect(
        (await rejection(ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' }))).details.limit,
      ).toBe('sends_per_destination')
      const lifted = await support.actions.liftLimits(actor('support'), to, 'Ticket 9')
      expect(lifted).toEqual(['sends_per_destination', 'checks_per_destination', 'starts_per_prefix'])
      expect((await ctx.deps.verifier.start({ serviceId: svc.id, to, channel: 'sms' })).created).toBe(true)
    })
  })
})
