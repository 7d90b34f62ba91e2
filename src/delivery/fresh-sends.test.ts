/**
 * A start's first message handed to this process's dispatcher from memory (fresh-sends.ts): it is
 * written claimed under a lease, so a process that dies before sending leaves it to any worker once
 * the lease runs out (at-least-once, as after a crash mid-send), and a process that sends nothing
 * now leaves it queued. On SQLite, and PostgreSQL when configured.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  codeFromInbox,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'

for (const dialect of DIALECTS) {
  describe(`fresh sends (${dialect})`, () => {
    let ctx: TestContext | undefined
    afterEach(async () => {
      vi.restoreAllMocks()
      await ctx?.close()
      ctx = undefined
    })

    it('a start is sent by the running dispatcher without a claim, once', async () => {
      ctx = await buildTestDeps({ dialect })
      const { deps } = ctx
      deps.dispatcher.start()
      const take = vi.spyOn(deps.dispatcher, 'take')
      const service = await createTestService(deps)
      const to = '+447700900301'
      const v = await deps.verifier.start({ serviceId: service.id, to, channel: 'sms' })
      expect(take).toHaveBeenCalledTimes(1)
      expect(await eventually(() => codeFromInbox(deps, to))).toMatch(/^\d{6}$/)
      const [message] = await eventually(async () => {
        const ms = await deps.verifier.messages(v.verification.id)
        return ms[0]?.status === 'delivered' ? ms : undefined
      })
      expect(message?.attempts).toBe(1)
      expect(deps.simulator?.inbox.list({ to })).toHaveLength(1)
    })

    it('a process that dies before sending leaves the message to a worker when the lease runs out', async () => {
      ctx = await buildTestDeps({ dialect })
      const { deps } = ctx
      deps.dispatcher.start()
      // The write committed, then the process "died": the message never reaches a send.
      vi.spyOn(deps.dispatcher, 'take').mockImplementation(() => undefined)
      const service = await createTestService(deps)
      const to = '+447700900302'
      const v = await deps.verifier.start({ serviceId: service.id, to, channel: 'sms' })
      const [written] = await deps.verifier.messages(v.verification.id)
      expect(written).toMatchObject({ status: 'sending', attempts: 1 })
      // Still leased: a drain does not take it from under its sender.
      deps.dispatcher.kick()
      await new Promise((r) => setTimeout(r, 100))
      expect(codeFromInbox(deps, to)).toBeUndefined()

      ctx.clock.advance(deps.config.dispatcher.leaseMs + 1)
      deps.dispatcher.kick()
      const code = await eventually(() => codeFromInbox(deps, to))
      const checked = await deps.verifier.check({ verificationId: v.verification.id, code })
      expect(checked.status).toBe('approved')
      const [sent] = await deps.verifier.messages(v.verification.id)
      expect(sent?.attempts).toBe(2)
      expect(deps.simulator?.inbox.list({ to })).toHaveLength(1)
    })

    it('a start taken just before the dispatcher stops is sent before stop() resolves', async () => {
      ctx = await buildTestDeps({ dialect })
      const { deps } = ctx
      deps.dispatcher.start()
      const service = await createTestService(deps)
      const to = '+447700900304'
      const v = await deps.verifier.start({ serviceId: service.id, to, channel: 'sms' })
      // Same turn as the start's answer: the message is taken, its send not begun.
      await deps.dispatcher.stop()
      // Handed to the provider and recorded (the simulator fills its inbox on its own time).
      const [message] = await deps.verifier.messages(v.verification.id)
      expect(message?.providerMessageId).toBeTruthy()
      expect(await eventually(() => codeFromInbox(deps, to))).toMatch(/^\d{6}$/)
    })

    it('a process whose dispatcher is not running (an api process) queues the message', async () => {
      ctx = await buildTestDeps({ dialect })
      const { deps } = ctx
      const take = vi.spyOn(deps.dispatcher, 'take')
      const service = await createTestService(deps)
      const to = '+447700900303'
      const v = await deps.verifier.start({ serviceId: service.id, to, channel: 'sms' })
      expect(take).not.toHaveBeenCalled()
      const [queued] = await deps.verifier.messages(v.verification.id)
      expect(queued).toMatchObject({ status: 'queued', attempts: 0 })
      deps.dispatcher.start()
      expect(await eventually(() => codeFromInbox(deps, to))).toMatch(/^\d{6}$/)
    })
  })
}
