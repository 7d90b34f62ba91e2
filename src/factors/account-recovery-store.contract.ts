/**
 * @module The AccountRecoveryStore contract, run once per storage implementation (SQLite always,
 * PostgreSQL when TEST_POSTGRES_URL is set) by `src/storage/account-recovery-stores.contract.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Service, ServiceStore } from '../services/service.js'
import { newId } from '../shared/ids.js'
import type { AccountRecoveryStore, NewRecoveryEvent, RecoveryCase } from './account-recovery-store.js'

export interface AccountRecoveryStoresUnderTest {
  readonly recovery: AccountRecoveryStore
  readonly services: ServiceStore
  close(): Promise<void>
}

export function runAccountRecoveryStoreContract(
  name: string,
  create: () => Promise<AccountRecoveryStoresUnderTest>,
): void {
  describe(`account recovery store contract: ${name}`, () => {
    let s: AccountRecoveryStoresUnderTest
    const serviceId = newId('service')
    const t0 = Date.UTC(2026, 5, 1)
    const service: Service = {
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
    }

    beforeAll(async () => {
      s = await create()
      await s.services.insert(service)
    })
    afterAll(async () => s.close())

    let n = 0
    const make = (patch: Partial<RecoveryCase> = {}): RecoveryCase => {
      n += 1
      return {
        id: `rec_contract${n}`,
        serviceId,
        entityId: `user-${n}`,
        status: 'pending_approval',
        reason: 'lost phone and laptop',
        requestedBy: 'agent-1',
        contacts: { phones: ['+447700900123'], emails: ['ada@example.com'] },
        approvedBy: null,
        effectiveAt: null,
        createdAt: t0 + n,
        updatedAt: t0 + n,
        finishedAt: null,
        ...patch,
      }
    }
    const event = (c: RecoveryCase, patch: Partial<NewRecoveryEvent> = {}): NewRecoveryEvent => ({
      caseId: c.id,
      type: 'requested',
      actor: c.requestedBy,
      reason: c.reason,
      at: c.createdAt,
      data: {},
      ...patch,
    })

    it('stores a case with its first event and reads it back', async () => {
      const c = make()
      await s.recovery.insert(c, event(c, { data: { contacts: 2 } }))
      expect(await s.recovery.get(c.id)).toEqual(c)
      const events = await s.recovery.events(c.id)
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        caseId: c.id,
        type: 'requested',
        actor: 'agent-1',
        reason: c.reason,
        at: c.createdAt,
        data: { contacts: 2 },
      })
      expect(await s.recovery.get('rec_missing')).toBeUndefined()
    })

    it('lists the cases of one entity, oldest first', async () => {
      const a = make({ entityId: 'listed' })
      const b = make({ entityId: 'listed', createdAt: a.createdAt + 100 })
      const other = make()
      for (const c of [b, a, other]) await s.recovery.insert(c, event(c))
      expect((await s.recovery.list(serviceId, 'listed')).map((c) => c.id)).toEqual([a.id, b.id])
      expect(await s.recovery.list(serviceId, 'nobody')).toEqual([])
    })

    it('transitions only from the given statuses, with the event in the same step', async () => {
      const c = make()
      await s.recovery.insert(c, event(c))
      const approved = await s.recovery.transition(
        c.id,
        ['pending_approval'],
        { status: 'cooling_off', updatedAt: t0 + 1000, approvedBy: 'lead-1', effectiveAt: t0 + 5000 },
        event(c, { type: 'approved', actor: 'lead-1', reason: 'id checked', at: t0 + 1000 }),
      )
      expect(approved).toEqual({
        ...c,
        status: 'cooling_off',
        updatedAt: t0 + 1000,
        approvedBy: 'lead-1',
        effectiveAt: t0 + 5000,
      })
      // A second approval finds the status moved and changes nothing, not even the log.
      const again = await s.recovery.transition(
        c.id,
        ['pending_approval'],
        { status: 'cooling_off', updatedAt: t0 + 2000, approvedBy: 'lead-2', effectiveAt: t0 + 9000 },
        event(c, { type: 'approved', actor: 'lead-2' }),
      )
      expect(again).toBeUndefined()
      expect(await s.recovery.get(c.id)).toEqual(approved)
      expect((await s.recovery.events(c.id)).map((e) => e.type)).toEqual(['requested', 'approved'])
      expect(
        await s.recovery.transition(
          'rec_missing',
          ['pending_approval'],
          { status: 'canceled', updatedAt: t0 },
          event(c),
        ),
      ).toBeUndefined()
    })

    it('of racing transitions out of one status exactly one applies', async () => {
      const c = make({ status: 'cooling_off', approvedBy: 'lead', effectiveAt: t0 })
      await s.recovery.insert(c, event(c))
      const results = await Promise.all(
        (['canceled', 'completed', 'canceled', 'completed'] as const).map((status, i) =>
          s.recovery.transition(
            c.id,
            ['cooling_off'],
            { status, updatedAt: t0 + i, finishedAt: t0 + i },
            event(c, { type: status, actor: `actor-${i}` }),
          ),
        ),
      )
      expect(results.filter((r) => r !== undefined)).toHaveLength(1)
      expect(await s.recovery.events(c.id)).toHaveLength(2)
    })

    it('appends events in order and keeps them apart per case', async () => {
      const a = make()
      const b = make()
      await s.recovery.insert(a, event(a))
      await s.recovery.insert(b, event(b))
      await s.recovery.appendEvent(
        event(a, { type: 'notice_sent', actor: 'system', reason: null, data: { channel: 'sms' } }),
      )
      await s.recovery.appendEvent(event(a, { type: 'notice_failed', actor: 'system', reason: null }))
      const events = await s.recovery.events(a.id)
      expect(events.map((e) => e.type)).toEqual(['requested', 'notice_sent', 'notice_failed'])
      expect(events[1]).toMatchObject({ reason: null, data: { channel: 'sms' } })
      const ids = events.map((e) => e.id)
      expect([...ids].sort((x, y) => x - y)).toEqual(ids)
      expect((await s.recovery.events(b.id)).map((e) => e.type)).toEqual(['requested'])
    })
  })
}
