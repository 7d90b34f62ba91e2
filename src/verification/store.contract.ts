/**
 * @module The VerificationStore + OutboxStore contract, run once per storage implementation
 * (SQLite always, PostgreSQL when TEST_POSTGRES_URL is set) by `src/storage/stores.contract.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NewOutboxMessage, OutboxStore } from '../delivery/outbox.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { ServiceStore } from '../services/service.js'
import { newId } from '../shared/ids.js'
import type { VerificationStore } from './store.js'
import type { Verification } from './verification.js'

export interface StoreUnderTest {
  readonly verifications: VerificationStore
  readonly outbox: OutboxStore
  readonly services: ServiceStore
  close(): Promise<void>
}

export function runStoreContract(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${name}`, () => {
    let s: StoreUnderTest
    const serviceId = newId('service')
    const t0 = Date.UTC(2026, 5, 1)

    beforeAll(async () => {
      s = await create()
      await s.services.insert({
        id: serviceId,
        name: 'contract',
        codeLength: 6,
        codeTtlSeconds: 600,
        maxCheckAttempts: 3,
        maxSends: 5,
        brandName: null,
        messageTemplate: null,
        channels: ['sms'],
        defaultLocale: 'en',
        webotpDomain: null,
        createdAt: t0,
        updatedAt: t0,
      })
    })
    afterAll(async () => s.close())

    let n = 0
    const make = (patch: Partial<Verification> = {}): Verification => {
      n += 1
      return {
        id: newId('verification'),
        serviceId,
        channel: 'sms',
        destination: `+4477009${String(10000 + n).slice(-5)}`,
        country: 'GB',
        status: 'pending',
        codeHmac: 'k1:abc',
        codeCiphertext: 'k1:iv:ct:tag',
        codeLength: 6,
        locale: 'en',
        checkAttempts: 0,
        maxCheckAttempts: 3,
        sendCount: 1,
        maxSends: 5,
        lastSentAt: t0,
        expiresAt: t0 + 600_000,
        clientIp: '203.0.113.9',
        idempotencyKey: null,
        idempotencyFingerprint: null,
        createdAt: t0,
        updatedAt: t0,
        finishedAt: null,
        ...patch,
      }
    }
    const msgFor = (v: Verification, sendNumber = 1, at = t0): NewOutboxMessage => ({
      id: newId('message'),
      verificationId: v.id,
      serviceId,
      channel: 'sms',
      destination: v.destination,
      sendNumber,
      createdAt: at,
    })
    const ev = (
      v: Verification,
      type: NewVerificationEvent['type'],
      data: Record<string, unknown> = {},
    ): NewVerificationEvent => ({
      verificationId: v.id,
      serviceId,
      destination: v.destination,
      type,
      at: t0,
      data,
    })

    it('creates a verification with its outbox row and events, and reads it back', async () => {
      const v = make()
      expect(await s.verifications.create(v, msgFor(v), [ev(v, 'created', { raw: '001' })])).toEqual({
        ok: true,
      })
      expect(await s.verifications.get(v.id)).toEqual(v)
      expect(await s.verifications.findPending(serviceId, v.destination)).toEqual(v)
      const events = await s.verifications.listEvents(v.id)
      expect(events.map((e) => e.type)).toEqual(['created'])
      expect(events[0]?.data).toEqual({ raw: '001' })
      const msgs = await s.outbox.listForVerification(v.id)
      expect(msgs).toHaveLength(1)
      expect(msgs[0]?.status).toBe('queued')
    })

    it('allows only one pending verification per destination', async () => {
      const a = make()
      const b = make({ destination: a.destination })
      expect((await s.verifications.create(a, msgFor(a), [])).ok).toBe(true)
      expect(await s.verifications.create(b, msgFor(b), [])).toEqual({ ok: false, conflict: 'pending' })
      expect(await s.verifications.get(b.id)).toBeUndefined()
      expect(await s.outbox.listForVerification(b.id)).toEqual([])
    })

    it('reports a reused idempotency key as such and finds the row by it', async () => {
      const a = make({ idempotencyKey: 'idem-1', idempotencyFingerprint: 'fp' })
      const b = make({ idempotencyKey: 'idem-1', idempotencyFingerprint: 'fp' })
      expect((await s.verifications.create(a, msgFor(a), [])).ok).toBe(true)
      expect(await s.verifications.create(b, msgFor(b), [])).toEqual({ ok: false, conflict: 'idempotency' })
      expect((await s.verifications.findByIdempotencyKey(serviceId, 'idem-1'))?.id).toBe(a.id)
    })

    it('counts check attempts up to the maximum, never beyond', async () => {
      const v = make()
      await s.verifications.create(v, msgFor(v), [])
      const counts = await Promise.all(
        [1, 2, 3, 4, 5].map(() =>
          s.verifications.countCheckAttempt(v.id, t0 + 1, (counted) => ({
            events: [ev(v, 'check_failed', { attempt: counted.checkAttempts })],
          })),
        ),
      )
      expect(counts.filter(Boolean)).toHaveLength(3)
      expect((await s.verifications.get(v.id))?.checkAttempts).toBe(3)
      // Each counted attempt recorded its outcome, and only those.
      const failed = (await s.verifications.listEvents(v.id)).filter((e) => e.type === 'check_failed')
      expect(failed.map((e) => e.data.attempt).sort()).toEqual([1, 2, 3])
    })

    it('records a check outcome with its counted attempt: the final status once, and its events', async () => {
      const v = make()
      await s.verifications.create(v, msgFor(v), [])
      const seen: number[] = []
      const results = await Promise.all(
        [1, 2].map(() =>
          s.verifications.countCheckAttempt(v.id, t0 + 5, (counted) => {
            seen.push(counted.checkAttempts)
            return { finish: 'approved', events: [ev(v, 'approved', { attempt: counted.checkAttempts })] }
          }),
        ),
      )
      // The first approves; the second finds it no longer pending, so it counts nothing and its
      // judge never runs.
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(seen).toEqual([1])
      expect(results.find(Boolean)?.outcome.finish).toBe('approved')
      const after = await s.verifications.get(v.id)
      expect(after?.status).toBe('approved')
      expect(after?.checkAttempts).toBe(1)
      expect(after?.codeCiphertext).toBeNull()
      expect(after?.finishedAt).toBe(t0 + 5)
      expect((await s.verifications.listEvents(v.id)).filter((e) => e.type === 'approved')).toHaveLength(1)
      expect(await s.verifications.findPending(serviceId, v.destination)).toBeUndefined()
    })

    it('finishes a verification once, even when callers race', async () => {
      const v = make()
      await s.verifications.create(v, msgFor(v), [])
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => s.verifications.finish(v.id, 'approved', t0 + 5, [ev(v, 'approved')])),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      const after = await s.verifications.get(v.id)
      expect(after?.status).toBe('approved')
      expect(after?.codeCiphertext).toBeNull()
      expect(after?.finishedAt).toBe(t0 + 5)
      expect((await s.verifications.listEvents(v.id)).filter((e) => e.type === 'approved')).toHaveLength(1)
      // The destination is free for a new verification.
      expect(await s.verifications.findPending(serviceId, v.destination)).toBeUndefined()
    })

    it('records a resend only against the expected send count', async () => {
      const v = make()
      await s.verifications.create(v, msgFor(v), [])
      const [first, second] = await Promise.all([
        s.verifications.recordResend(v.id, 1, t0 + 30_000, msgFor(v, 2), [ev(v, 'send_requested')]),
        s.verifications.recordResend(v.id, 1, t0 + 30_000, msgFor(v, 2), [ev(v, 'send_requested')]),
      ])
      expect([first, second].filter(Boolean)).toHaveLength(1)
      const after = await s.verifications.get(v.id)
      expect(after?.sendCount).toBe(2)
      expect(after?.lastSentAt).toBe(t0 + 30_000)
      expect(await s.outbox.listForVerification(v.id)).toHaveLength(2)
    })

    it('lists the newest verifications of a destination, optionally of some services', async () => {
      const destination = '+447700900777'
      const a = make({ destination, createdAt: t0 + 1, status: 'expired', finishedAt: t0 + 2 })
      const b = make({ destination, createdAt: t0 + 3, status: 'canceled', finishedAt: t0 + 4 })
      const c = make({ destination, createdAt: t0 + 5 })
      for (const v of [a, b, c]) expect((await s.verifications.create(v, msgFor(v), [])).ok).toBe(true)
      const other = make({ destination: '+447700900778', createdAt: t0 + 6 })
      await s.verifications.create(other, msgFor(other), [])
      expect((await s.verifications.listByDestination(destination, 10)).map((v) => v.id)).toEqual([
        c.id,
        b.id,
        a.id,
      ])
      expect((await s.verifications.listByDestination(destination, 2)).map((v) => v.id)).toEqual([c.id, b.id])
      expect(await s.verifications.listByDestination(destination, 10, [serviceId])).toHaveLength(3)
      expect(await s.verifications.listByDestination(destination, 10, ['svc_other'])).toEqual([])
      expect(await s.verifications.listByDestination(destination, 10, [])).toEqual([])
      // Narrowed before the limit: a newer verification of another service does not take the place.
      const busy = newId('service')
      await s.services.insert({ ...(await s.services.get(serviceId))!, id: busy, name: 'busy' })
      const newer = make({ destination, serviceId: busy, createdAt: t0 + 7 })
      await s.verifications.create(newer, msgFor(newer), [])
      expect((await s.verifications.listByDestination(destination, 1, [serviceId]))[0]).toEqual(c)
      expect((await s.verifications.listByDestination(destination, 1))[0]?.id).toBe(newer.id)
      expect(
        (await s.verifications.listByDestination(destination, 2, [serviceId, busy])).map((v) => v.id),
      ).toEqual([newer.id, c.id])
      expect(await s.verifications.listByDestination('+447700900779', 10)).toEqual([])
    })

    it('lists expired pending verifications', async () => {
      const v = make({ expiresAt: t0 + 10 })
      await s.verifications.create(v, msgFor(v), [])
      const due = await s.verifications.listExpired(t0 + 11, 1000)
      expect(due.map((d) => d.id)).toContain(v.id)
    })

    it('claims due outbox rows once, leases them, and reclaims after the lease', async () => {
      const v = make()
      const m = msgFor(v, 1, t0 + 1_000_000)
      await s.verifications.create(v, m, [])
      expect((await s.outbox.claimDue(t0 + 999_999, 30_000, 1000)).map((x) => x.id)).not.toContain(m.id)
      const [a, b] = await Promise.all([
        s.outbox.claimDue(t0 + 1_000_000, 30_000, 1000),
        s.outbox.claimDue(t0 + 1_000_000, 30_000, 1000),
      ])
      const claims = [...(a ?? []), ...(b ?? [])].filter((x) => x.id === m.id)
      expect(claims).toHaveLength(1)
      expect(claims[0]?.status).toBe('sending')
      expect(claims[0]?.attempts).toBe(1)
      // Still leased: nobody else gets it.
      expect((await s.outbox.claimDue(t0 + 1_000_001, 30_000, 1000)).map((x) => x.id)).not.toContain(m.id)
      // The worker died: after the lease it comes back, with the attempt counted.
      const again = (await s.outbox.claimDue(t0 + 1_030_001, 30_000, 1000)).find((x) => x.id === m.id)
      expect(again?.attempts).toBe(2)
    })

    it('holds a receipt that comes before its hand-over, and gives it out once when the hand-over is recorded', async () => {
      const v = make()
      const m = msgFor(v, 1, t0 + 3_000_000)
      await s.verifications.create(v, m, [])
      await s.outbox.claimDue(t0 + 3_000_000, 30_000, 1000)
      const report = {
        providerId: 'carrier',
        providerMessageId: 'HELD1',
        outcome: 'delivered' as const,
        rawStatus: 'delivered',
        at: t0 + 3_000_005,
      }
      // Its worker died before recording the hand-over: the receipt is held, not applied to anything.
      await s.outbox.holdReceipt(report, t0 + 3_000_005, 3_600_000)
      await s.outbox.holdReceipt({ ...report, providerMessageId: 'STRAY' }, t0 + 3_000_006, 3_600_000)
      expect(await s.outbox.takeMatchedHeldReceipts(100)).toEqual([])
      // The repeated send, deduplicated by the provider, records the hand-over under the same id.
      await s.outbox.markSent(
        m.id,
        t0 + 3_000_010,
        {
          providerId: 'carrier',
          providerMessageId: 'HELD1',
          routeId: 'carrier:sms:*',
          sender: null,
          channel: 'sms',
          country: 'GB',
          triedRoutes: ['carrier:sms:*'],
          hops: 1,
          plan: {},
          receiptDeadline: t0 + 3_020_000,
        },
        [],
      )
      const [a, b] = await Promise.all([
        s.outbox.takeMatchedHeldReceipts(100),
        s.outbox.takeMatchedHeldReceipts(100),
      ])
      expect([...a, ...b]).toEqual([report])
      expect(await s.outbox.takeMatchedHeldReceipts(100)).toEqual([])
      // A stray is forgotten once it is older than the keep time.
      await s.outbox.holdReceipt(
        { ...report, providerMessageId: 'LATER' },
        t0 + 3_000_006 + 3_600_001,
        3_600_000,
      )
      await s.outbox.markSent(
        m.id,
        t0 + 3_000_020,
        {
          providerId: 'carrier',
          providerMessageId: 'STRAY',
          routeId: 'carrier:sms:*',
          sender: null,
          channel: 'sms',
          country: 'GB',
          triedRoutes: ['carrier:sms:*'],
          hops: 2,
          plan: {},
          receiptDeadline: t0 + 3_020_000,
        },
        [],
      )
      expect(await s.outbox.takeMatchedHeldReceipts(100)).toEqual([])
    })

    it('settles outbox rows: sent, receipt timeout, requeue, delivered, failed, canceled', async () => {
      const v = make()
      const m = msgFor(v, 1, t0 + 2_000_000)
      await s.verifications.create(v, m, [])
      await s.outbox.claimDue(t0 + 2_000_000, 30_000, 1000)
      const sent = {
        providerId: 'sim',
        providerMessageId: 'SM1',
        routeId: 'sim:sms:*',
        sender: 'ACME',
        channel: 'sms' as const,
        country: 'GB',
        triedRoutes: ['sim:sms:*'],
        hops: 1,
        plan: {},
        receiptDeadline: t0 + 2_020_000,
      }
      await s.outbox.markSent(m.id, t0 + 2_000_010, sent, [ev(v, 'handed_to_provider')])
      const found = await s.outbox.findByProviderMessageId('sim', 'SM1')
      expect(found?.message.id).toBe(m.id)
      expect(found?.hop.routeId).toBe('sim:sms:*')
      expect(found?.hop.sentAt).toBe(t0 + 2_000_010)
      expect(found?.hop).toMatchObject({ channel: 'sms', state: 'submitted', outcome: null })
      expect(found?.message).toMatchObject({
        status: 'sent',
        deliveryOutcome: 'pending',
        sender: 'ACME',
        triedRoutes: ['sim:sms:*'],
        hops: 1,
      })
      // Awaiting the receipt: not claimable before the deadline, claimable after (receipt timeout).
      expect((await s.outbox.claimDue(t0 + 2_019_999, 30_000, 1000)).map((x) => x.id)).not.toContain(m.id)
      const overdue = (await s.outbox.claimDue(t0 + 2_020_000, 30_000, 1000)).find((x) => x.id === m.id)
      expect(overdue?.providerMessageId).toBe('SM1')
      // Moved to the next route: queued again, the old provider id still finds the message.
      await s.outbox.requeue(
        m.id,
        t0 + 2_020_001,
        { availableAt: t0 + 2_020_001, channel: 'sms', triedRoutes: ['sim:sms:*'], hops: 1, plan: {} },
        { providerId: 'sim', code: null, text: 'timeout' },
        [],
      )
      const requeued = (await s.outbox.listForVerification(v.id))[0]
      expect(requeued).toMatchObject({
        status: 'queued',
        providerMessageId: null,
        triedRoutes: ['sim:sms:*'],
      })
      expect((await s.outbox.findByProviderMessageId('sim', 'SM1'))?.message.id).toBe(m.id)
      await s.outbox.claimDue(t0 + 2_020_001, 30_000, 1000)
      await s.outbox.markSent(
        m.id,
        t0 + 2_020_002,
        {
          ...sent,
          providerId: 'sim2',
          providerMessageId: 'SM2',
          routeId: 'sim2:sms:*',
          triedRoutes: ['sim:sms:*', 'sim2:sms:*'],
          hops: 2,
          receiptDeadline: t0 + 2_040_000,
        },
        [],
      )
      await s.outbox.settleHop(
        { providerId: 'sim', providerMessageId: 'SM1' },
        'unconfirmed',
        null,
        t0 + 2_020_001,
      )
      await s.outbox.markDelivered(m.id, t0 + 2_020_500, { providerId: 'sim2', providerMessageId: 'SM2' }, [
        ev(v, 'delivered'),
      ])
      const delivered = (await s.outbox.findByProviderMessageId('sim2', 'SM2'))?.message
      expect(delivered).toMatchObject({
        status: 'delivered',
        deliveryOutcome: 'delivered',
        deliveredAt: t0 + 2_020_500,
        hops: 2,
      })
      // Delivered rows are never claimed again.
      expect((await s.outbox.claimDue(t0 + 9_000_000, 30_000, 1000)).map((x) => x.id)).not.toContain(m.id)
      // Each hand-over keeps its own state: the first still open (unconfirmed), the second delivered;
      // a late receipt on the first settles it as delivered too, and the send stays delivered once.
      expect((await s.outbox.listHops(m.id)).map((h) => [h.providerMessageId, h.state])).toEqual([
        ['SM1', 'unconfirmed'],
        ['SM2', 'delivered'],
      ])
      await s.outbox.markDelivered(m.id, t0 + 2_030_000, { providerId: 'sim', providerMessageId: 'SM1' }, [])
      expect((await s.outbox.listHops(m.id)).map((h) => h.state)).toEqual(['delivered', 'delivered'])
      expect((await s.outbox.listForVerification(v.id))[0]?.deliveredAt).toBe(t0 + 2_020_500)

      const w = make()
      const m2 = msgFor(w, 1, t0 + 3_000_000)
      await s.verifications.create(w, m2, [])
      await s.outbox.claimDue(t0 + 3_000_000, 30_000, 1000)
      await s.outbox.requeue(
        m2.id,
        t0 + 3_000_001,
        { availableAt: t0 + 3_000_900, channel: 'call', triedRoutes: [], hops: 1, plan: {} },
        { providerId: 'sim', code: '429', text: 'slow down' },
        [],
      )
      expect((await s.outbox.claimDue(t0 + 3_000_500, 30_000, 1000)).map((x) => x.id)).not.toContain(m2.id)
      const again = (await s.outbox.claimDue(t0 + 3_000_900, 30_000, 1000)).find((x) => x.id === m2.id)
      expect(again).toMatchObject({ channel: 'call', lastErrorCode: '429', attempts: 2 })
      await s.outbox.markFailed(m2.id, t0 + 3_001_000, { providerId: 'sim', code: '400', text: 'bad' }, [])
      const failed = (await s.outbox.listForVerification(w.id))[0]
      expect(failed?.status).toBe('failed')
      expect(failed?.lastErrorCode).toBe('400')
      expect((await s.outbox.claimDue(t0 + 9_000_000, 30_000, 1000)).map((x) => x.id)).not.toContain(m2.id)

      const x = make()
      const m3 = msgFor(x, 1, t0 + 4_000_000)
      await s.verifications.create(x, m3, [])
      await s.outbox.markCanceled(m3.id, t0 + 4_000_000)
      expect((await s.outbox.claimDue(t0 + 4_000_001, 30_000, 1000)).map((y) => y.id)).not.toContain(m3.id)

      // Nothing left to try but a hand-over still open: it waits, unclaimed, until the code's end;
      // claimed then (reading `unconfirmed`), it expires with its open hand-overs.
      const y = make()
      const m4 = msgFor(y, 1, t0 + 5_000_000)
      await s.verifications.create(y, m4, [])
      await s.outbox.claimDue(t0 + 5_000_000, 30_000, 1000)
      await s.outbox.markSent(
        m4.id,
        t0 + 5_000_010,
        { ...sent, providerMessageId: 'SM4', receiptDeadline: t0 + 5_020_000 },
        [],
      )
      await s.outbox.settleHop(
        { providerId: 'sim', providerMessageId: 'SM4' },
        'unconfirmed',
        null,
        t0 + 5_020_000,
      )
      await s.outbox.markWaiting(m4.id, t0 + 5_020_000, t0 + 5_600_000, { rounds: 1 }, [])
      expect((await s.outbox.listForVerification(y.id))[0]).toMatchObject({
        status: 'unconfirmed',
        plan: { rounds: 1, waiting: true },
      })
      expect((await s.outbox.claimDue(t0 + 5_599_999, 30_000, 1000)).map((z) => z.id)).not.toContain(m4.id)
      const ended = (await s.outbox.claimDue(t0 + 5_600_000, 30_000, 1000)).find((z) => z.id === m4.id)
      expect(ended?.plan.waiting).toBe(true)
      await s.outbox.markExpired(m4.id, t0 + 5_600_001)
      expect((await s.outbox.listForVerification(y.id))[0]?.status).toBe('expired')
      expect((await s.outbox.listHops(m4.id)).map((h) => h.state)).toEqual(['expired'])
    })

    it('keeps events of refused starts (no verification) findable by destination data', async () => {
      await s.verifications.appendEvents([
        {
          verificationId: null,
          serviceId,
          destination: '+447700900999',
          type: 'limit_hit',
          at: t0,
          data: { limit: 'starts_per_ip' },
        },
      ])
    })
  })
}
