/** AccountRecovery on the real dependency graph: cooling-off, notices, removal, cancel and the log. */
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildTestDeps,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'
import type { Service } from '../services/service.js'
import { KyselyPasskeyStore } from '../storage/passkey-store.js'
import { approvalNoticeText, cancelNoticeText } from './account-recovery.js'

const DAY_MS = 86_400_000
const PHONE_A = '+447700900123'
const PHONE_B = '+447700900124'
const EMAIL = 'ada@example.com'

describe('AccountRecovery', () => {
  let t: TestContext
  let service: Service
  beforeEach(async () => {
    t = await buildTestDeps()
    service = await createTestService(t.deps, { brandName: 'Acme' })
  })
  afterEach(async () => t.close())

  const request = (
    entityId = 'user-1',
    contacts: { phones?: string[]; emails?: string[] } = { phones: [PHONE_A, PHONE_B], emails: [EMAIL] },
  ) =>
    t.deps.accountRecovery.request(service.id, entityId, {
      reason: 'lost phone and laptop',
      requestedBy: 'agent-7',
      contacts,
    })

  const inbox = (to: string) => t.deps.simulator?.inbox.list({ to }) ?? []

  const expectCode = async (p: Promise<unknown>, code: string) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe(code)
    return err as AppError
  }

  /** Gives user-1 a TOTP factor, a passkey and a set of recovery codes. */
  const enrolEverything = async (entityId = 'user-1') => {
    await t.deps.factors.enrol({ serviceId: service.id, entityId, friendlyName: 'phone app' })
    await t.deps.recoveryCodes.generate(service.id, entityId)
    await new KyselyPasskeyStore(t.deps.db).insert({
      id: randomBytes(16).toString('base64url'),
      serviceId: service.id,
      entityId,
      userHandle: randomBytes(32).toString('base64url'),
      publicKey: randomBytes(77).toString('base64url'),
      counter: 0,
      transports: ['internal'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: 'multiDevice',
      backedUp: true,
      friendlyName: 'Laptop',
      createdAt: t.clock.now(),
      lastUsedAt: null,
    })
  }

  const factorCounts = async (entityId = 'user-1') => ({
    totp: (await t.deps.factors.list(service.id, entityId)).length,
    passkeys: (await t.deps.passkeys.list(service.id, entityId)).length,
    codes: (await t.deps.recoveryCodes.status(service.id, entityId)).total,
  })

  it('opens a case waiting for approval, without telling anyone yet', async () => {
    const c = await request('user-1', { phones: [PHONE_A, PHONE_A], emails: ['Ada@Example.com', EMAIL] })
    expect(c).toMatchObject({
      serviceId: service.id,
      entityId: 'user-1',
      status: 'pending_approval',
      requestedBy: 'agent-7',
      contacts: { phones: [PHONE_A], emails: [EMAIL] },
      approvedBy: null,
      effectiveAt: null,
    })
    expect(c.id).toMatch(/^rec_[0-9a-z]{24}$/)
    expect(await t.deps.accountRecovery.get(c.id)).toEqual(c)
    expect(await t.deps.accountRecovery.list(service.id, 'user-1')).toEqual([c])
    expect(inbox(PHONE_A)).toEqual([])
    await expectCode(
      t.deps.accountRecovery.request('svc_missing', 'user-1', {
        reason: 'x',
        requestedBy: 'y',
        contacts: {},
      }),
      'SERVICE_NOT_FOUND',
    )
  })

  it('enforces the cooling-off, notifies every contact, then removes every factor', async () => {
    await enrolEverything()
    await enrolEverything('user-2')
    expect(await factorCounts()).toEqual({ totp: 1, passkeys: 1, codes: 10 })
    const c = await request()

    await expectCode(t.deps.accountRecovery.complete(c.id, { by: 'lead-1' }), 'RECOVERY_NOT_PENDING')
    const approvedAt = t.clock.now()
    const approved = await t.deps.accountRecovery.approve(c.id, {
      approvedBy: 'lead-1',
      reason: 'identity checked on a video call',
    })
    expect(approved).toMatchObject({
      status: 'cooling_off',
      approvedBy: 'lead-1',
      effectiveAt: approvedAt + DAY_MS,
    })

    // Every contact gets the same notice naming the brand and the moment it takes effect.
    const text = approvalNoticeText('Acme', approvedAt + DAY_MS)
    expect(text).toContain('A reset of your Acme sign-in methods was approved and takes effect at ')
    expect(text).toContain('If this was not you, contact support now.')
    for (const to of [PHONE_A, PHONE_B, EMAIL]) {
      const [msg] = await eventually(() => (inbox(to).length > 0 ? inbox(to) : undefined))
      expect(msg?.body).toBe(text)
    }
    expect(inbox(PHONE_A)[0]?.channel).toBe('sms')
    expect(inbox(EMAIL)[0]).toMatchObject({ channel: 'email', subject: 'Acme: sign-in reset approved' })

    // Still cooling off a second before the end: refused with the time left.
    t.clock.advance(DAY_MS - 1000)
    const early = await expectCode(
      t.deps.accountRecovery.complete(c.id, { by: 'lead-1' }),
      'RECOVERY_COOLING_OFF',
    )
    expect(early.status).toBe(409)
    expect(early.details).toMatchObject({ retry_after: 1 })
    expect(await factorCounts()).toEqual({ totp: 1, passkeys: 1, codes: 10 })

    t.clock.advance(1000)
    const done = await t.deps.accountRecovery.complete(c.id, { by: 'lead-1', reason: 'cooling-off over' })
    expect(done).toMatchObject({ status: 'completed', finishedAt: t.clock.now() })
    expect(await factorCounts()).toEqual({ totp: 0, passkeys: 0, codes: 0 })
    // Another entity's factors are untouched.
    expect(await factorCounts('user-2')).toEqual({ totp: 1, passkeys: 1, codes: 10 })
    await expectCode(t.deps.accountRecovery.complete(c.id, { by: 'lead-1' }), 'RECOVERY_NOT_PENDING')
    await expectCode(
      t.deps.accountRecovery.cancel(c.id, { by: 'lead-1', reason: 'too late' }),
      'RECOVERY_NOT_PENDING',
    )

    // The log, in order, with actors and reasons.
    const events = await t.deps.accountRecovery.events(c.id)
    expect(events.map((e) => [e.type, e.actor, e.reason])).toEqual([
      ['requested', 'agent-7', 'lost phone and laptop'],
      ['approved', 'lead-1', 'identity checked on a video call'],
      ['notice_sent', 'system', null],
      ['notice_sent', 'system', null],
      ['notice_sent', 'system', null],
      ['completed', 'lead-1', 'cooling-off over'],
      ['factors_removed', 'system', null],
    ])
    expect(events.slice(2, 5).map((e) => e.data.to)).toEqual([PHONE_A, PHONE_B, EMAIL])
    expect(events[6]?.data).toEqual({ totp_factors: 1, passkeys: 1, recovery_codes: 10 })
    expect(events.map((e) => e.at)).toEqual([
      approvedAt,
      approvedAt,
      approvedAt,
      approvedAt,
      approvedAt,
      approvedAt + DAY_MS,
      approvedAt + DAY_MS,
    ])
  })

  it('uses recovery.coolingOffSeconds from the config', async () => {
    const short = await buildTestDeps({ config: { recovery: { coolingOffSeconds: 60 } } })
    try {
      const svc = await createTestService(short.deps)
      const c = await short.deps.accountRecovery.request(svc.id, 'u', {
        reason: 'r',
        requestedBy: 'a',
        contacts: {},
      })
      const approved = await short.deps.accountRecovery.approve(c.id, { approvedBy: 'b', reason: 'ok' })
      expect(approved.effectiveAt).toBe(short.clock.now() + 60_000)
      short.clock.advance(60_000)
      expect((await short.deps.accountRecovery.complete(c.id)).status).toBe('completed')
      expect((await short.deps.accountRecovery.events(c.id)).at(-2)).toMatchObject({
        type: 'completed',
        actor: 'system',
      })
    } finally {
      await short.close()
    }
  })

  it('cancels during the cooling-off and tells every contact again', async () => {
    await enrolEverything()
    const c = await request()
    await t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-1', reason: 'ok' })
    await eventually(() => inbox(PHONE_A).length === 1)
    t.clock.advance(DAY_MS / 2)
    const canceled = await t.deps.accountRecovery.cancel(c.id, {
      by: 'agent-9',
      reason: 'user called: it was not them',
    })
    expect(canceled).toMatchObject({ status: 'canceled', finishedAt: t.clock.now() })
    for (const to of [PHONE_A, PHONE_B, EMAIL]) {
      const msgs = await eventually(() => (inbox(to).length === 2 ? inbox(to) : undefined))
      // The inbox lists newest first.
      expect(msgs[0]?.body).toBe(cancelNoticeText('Acme'))
    }
    t.clock.advance(DAY_MS)
    await expectCode(t.deps.accountRecovery.complete(c.id, { by: 'lead-1' }), 'RECOVERY_NOT_PENDING')
    await expectCode(
      t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-1', reason: 'again' }),
      'RECOVERY_NOT_PENDING',
    )
    expect(await factorCounts()).toEqual({ totp: 1, passkeys: 1, codes: 10 })
    const events = await t.deps.accountRecovery.events(c.id)
    expect(events.map((e) => e.type)).toEqual([
      'requested',
      'approved',
      'notice_sent',
      'notice_sent',
      'notice_sent',
      'canceled',
      'notice_sent',
      'notice_sent',
      'notice_sent',
    ])
    expect(events[5]).toMatchObject({
      actor: 'agent-9',
      reason: 'user called: it was not them',
      data: { from: 'cooling_off' },
    })
  })

  it('cancels a pending request without a notice, and refuses a cancel once in effect', async () => {
    const pending = await request()
    await t.deps.accountRecovery.cancel(pending.id, { by: 'agent-7', reason: 'filed by mistake' })
    expect((await t.deps.accountRecovery.events(pending.id)).map((e) => e.type)).toEqual([
      'requested',
      'canceled',
    ])
    expect(inbox(PHONE_A)).toEqual([])

    const c = await request()
    await t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-1', reason: 'ok' })
    t.clock.advance(DAY_MS)
    const err = await expectCode(
      t.deps.accountRecovery.cancel(c.id, { by: 'agent-7', reason: 'late' }),
      'RECOVERY_NOT_PENDING',
    )
    expect(err.details).toEqual({ status: 'cooling_off' })
  })

  it('logs a notice that could not be sent and still approves', async () => {
    const c = await request('user-1', { phones: ['+447700900006', PHONE_A] })
    const approved = await t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-1', reason: 'ok' })
    expect(approved.status).toBe('cooling_off')
    const events = await t.deps.accountRecovery.events(c.id)
    expect(events.slice(2).map((e) => [e.type, e.data.to])).toEqual([
      ['notice_failed', '+447700900006'],
      ['notice_sent', PHONE_A],
    ])
    expect(String(events[2]?.data.error)).toContain('simulator')
  })

  it('refuses unknown cases and double approvals', async () => {
    await expectCode(
      t.deps.accountRecovery.approve('rec_missing', { approvedBy: 'a', reason: 'r' }),
      'RECOVERY_NOT_FOUND',
    )
    await expectCode(
      t.deps.accountRecovery.cancel('rec_missing', { by: 'a', reason: 'r' }),
      'RECOVERY_NOT_FOUND',
    )
    await expectCode(t.deps.accountRecovery.complete('rec_missing'), 'RECOVERY_NOT_FOUND')
    expect(await t.deps.accountRecovery.get('rec_missing')).toBeUndefined()
    const c = await request()
    await t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-1', reason: 'ok' })
    const err = await expectCode(
      t.deps.accountRecovery.approve(c.id, { approvedBy: 'lead-2', reason: 'ok' }),
      'RECOVERY_NOT_PENDING',
    )
    expect(err.details).toEqual({ status: 'cooling_off' })
    expect((await t.deps.accountRecovery.get(c.id))?.approvedBy).toBe('lead-1')
  })
})
