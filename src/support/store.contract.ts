/**
 * @module The SupportStore contract, run once per storage implementation (SQLite always,
 * PostgreSQL when TEST_POSTGRES_URL is set) by `src/storage/support-store.contract.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../shared/ids.js'
import type { VerificationStore } from '../verification/store.js'
import type { StaffMember, SupportStore } from './store.js'

export interface SupportStoresUnderTest {
  readonly support: SupportStore
  /** To write events by destination, as the verification domain does. */
  readonly verifications: Pick<VerificationStore, 'appendEvents'>
  /** Inserts an entity's factors and a recovery case on a new service; returns the service id. */
  seedEntity(entityId: string): Promise<string>
  close(): Promise<void>
}

export function runSupportStoreContract(name: string, create: () => Promise<SupportStoresUnderTest>): void {
  describe(`support store contract: ${name}`, () => {
    let s: SupportStoresUnderTest
    const t0 = Date.UTC(2026, 5, 1)
    const member = (email: string): StaffMember => ({
      id: newId('staff'),
      email,
      role: 'support',
      passwordHash: 'scrypt$15$8$1$c2FsdA$aGFzaA',
      disabledAt: null,
      lastLoginAt: null,
      createdAt: t0,
      updatedAt: t0,
      services: null,
    })

    beforeAll(async () => {
      s = await create()
    })
    afterAll(async () => s?.close())

    it('staff: insert, unique email, get by id and email, update, list', async () => {
      const a = member('a@example.com')
      expect(await s.support.insertStaff(a)).toBe(true)
      expect(await s.support.insertStaff({ ...member('a@example.com') })).toBe(false)
      expect(await s.support.getStaff(a.id)).toEqual(a)
      expect(await s.support.getStaffByEmail('a@example.com')).toEqual(a)
      expect(
        await s.support.updateStaff(a.id, {
          role: 'admin',
          disabledAt: t0 + 5,
          lastLoginAt: t0 + 4,
          updatedAt: t0 + 5,
        }),
      ).toBe(true)
      expect(await s.support.getStaff(a.id)).toMatchObject({
        role: 'admin',
        disabledAt: t0 + 5,
        lastLoginAt: t0 + 4,
        updatedAt: t0 + 5,
      })
      expect(await s.support.updateStaff(a.id, { disabledAt: null, updatedAt: t0 + 6 })).toBe(true)
      expect((await s.support.getStaff(a.id))?.disabledAt).toBeNull()
      expect(await s.support.updateStaff('stf_missing', { updatedAt: t0 })).toBe(false)
      await s.support.insertStaff(member('0first@example.com'))
      expect((await s.support.listStaff()).map((m) => m.email)).toEqual([
        '0first@example.com',
        'a@example.com',
      ])
    })

    it('sessions: insert, touch, revoke one, revoke all of a member', async () => {
      const m = member('sessions@example.com')
      await s.support.insertStaff(m)
      const base = {
        staffId: m.id,
        actor: m.email,
        role: 'support' as const,
        createdAt: t0,
        lastSeenAt: t0,
        expiresAt: t0 + 1000,
        revokedAt: null,
      }
      await s.support.insertSession({ ...base, tokenHash: 'h1' })
      await s.support.insertSession({ ...base, tokenHash: 'h2' })
      await s.support.insertSession({
        ...base,
        staffId: null,
        actor: 'api-key key_x',
        role: 'admin',
        tokenHash: 'h3',
      })
      await s.support.touchSession('h1', t0 + 10)
      expect(await s.support.getSession('h1')).toEqual({ ...base, tokenHash: 'h1', lastSeenAt: t0 + 10 })
      await s.support.revokeSession('h1', t0 + 20)
      await s.support.revokeSession('h1', t0 + 30)
      expect((await s.support.getSession('h1'))?.revokedAt).toBe(t0 + 20)
      await s.support.revokeSessionsOf(m.id, t0 + 40)
      expect((await s.support.getSession('h2'))?.revokedAt).toBe(t0 + 40)
      expect((await s.support.getSession('h3'))?.revokedAt).toBeNull()
      expect(await s.support.getSession('nope')).toBeUndefined()
    })

    it('audit log: append with ids, newest first, filters and paging', async () => {
      const entry = (i: number, action: string, actor: string, target: string | null) => ({
        at: t0 + i * 1000,
        actor,
        actorRole: 'support',
        action,
        target,
        reason: `reason ${i}`,
        details: { i, nested: { ok: true } },
        ip: '198.51.100.1',
      })
      const written = []
      for (let i = 1; i <= 5; i++)
        written.push(
          await s.support.appendAudit(
            entry(
              i,
              i % 2 ? 'limit.lift' : 'number.reveal',
              i < 3 ? 'x@example.com' : 'y@example.com',
              i === 5 ? null : '+447700900123',
            ),
          ),
        )
      expect(written.map((w) => w.id)).toEqual([...written.map((w) => w.id)].sort((a, b) => a - b))
      const all = await s.support.listAudit({ limit: 10 })
      expect(all.map((e) => e.reason)).toEqual(['reason 5', 'reason 4', 'reason 3', 'reason 2', 'reason 1'])
      expect(all[0]).toEqual(written[4])
      expect(
        (await s.support.listAudit({ action: 'limit.lift', limit: 10 })).map((e) => e.details.i),
      ).toEqual([5, 3, 1])
      expect(
        (await s.support.listAudit({ actor: 'x@example.com', limit: 10 })).map((e) => e.details.i),
      ).toEqual([2, 1])
      expect(
        (await s.support.listAudit({ target: '+447700900123', limit: 10 })).map((e) => e.details.i),
      ).toEqual([4, 3, 2, 1])
      expect(
        (await s.support.listAudit({ from: t0 + 2000, to: t0 + 4000, limit: 10 })).map((e) => e.details.i),
      ).toEqual([3, 2])
      const page1 = await s.support.listAudit({ limit: 2 })
      const page2 = await s.support.listAudit({ limit: 2, beforeId: page1.at(-1)!.id })
      expect(page2.map((e) => e.details.i)).toEqual([3, 2])
    })

    it("audit log: a member limited to services reads their services' entries and their own", async () => {
      const entry = (i: number, actor: string, serviceId: string | null) => ({
        at: t0 + i * 1000,
        actor,
        actorRole: 'support',
        action: 'verification.cancel',
        target: `ver_${i}`,
        reason: null,
        details: { i },
        ip: null,
        serviceId,
      })
      await s.support.appendAudit(entry(1, 'other@example.com', 'svc_a'))
      await s.support.appendAudit(entry(2, 'other@example.com', 'svc_b'))
      await s.support.appendAudit(entry(3, 'other@example.com', null))
      await s.support.appendAudit(entry(4, 'me@example.com', null))
      await s.support.appendAudit(entry(5, 'other@example.com', 'svc_c'))
      const seen = async (services: string[]) =>
        (await s.support.listAudit({ limit: 10, visibleTo: { services, actor: 'me@example.com' } })).map(
          (e) => e.details.i,
        )
      expect(await seen(['svc_a', 'svc_c'])).toEqual([5, 4, 1])
      expect(await seen([])).toEqual([4])
      expect((await s.support.listAudit({ limit: 5 })).map((e) => e.serviceId)).toEqual([
        'svc_c',
        null,
        null,
        'svc_b',
        'svc_a',
      ])
    })

    it('safe list: put (idempotent, replaces), get, list, remove', async () => {
      await s.support.putSafe({ destination: '+447700900777', reason: 'first', addedBy: 'a', addedAt: t0 })
      await s.support.putSafe({
        destination: '+447700900777',
        reason: 'second',
        addedBy: 'b',
        addedAt: t0 + 1,
      })
      await s.support.putSafe({
        destination: '+447700900778',
        reason: 'other',
        addedBy: 'a',
        addedAt: t0 + 2,
      })
      expect(await s.support.getSafe('+447700900777')).toEqual({
        destination: '+447700900777',
        reason: 'second',
        addedBy: 'b',
        addedAt: t0 + 1,
      })
      expect((await s.support.listSafe(10)).map((e) => e.destination)).toEqual([
        '+447700900778',
        '+447700900777',
      ])
      expect(await s.support.removeSafe('+447700900777')).toBe(true)
      expect(await s.support.removeSafe('+447700900777')).toBe(false)
      expect(await s.support.getSafe('+447700900777')).toBeUndefined()
    })

    it('events by destination: newest N, returned oldest first, including refused starts', async () => {
      const dest = '+447700900999'
      const svc = newId('service')
      await s.verifications.appendEvents(
        [1, 2, 3, 4].map((i) => ({
          verificationId: null,
          serviceId: svc,
          destination: dest,
          type: 'limit_hit' as const,
          at: t0 + i,
          data: { i },
        })),
      )
      await s.verifications.appendEvents([
        {
          verificationId: null,
          serviceId: svc,
          destination: '+447700900998',
          type: 'limit_hit',
          at: t0,
          data: {},
        },
      ])
      const events = await s.support.listEventsByDestination(dest, 3)
      expect(events.map((e) => e.data.i)).toEqual([2, 3, 4])
      expect(events[0]).toMatchObject({ verificationId: null, serviceId: svc, type: 'limit_hit' })
      // Narrowed to some services before the limit: another service's newer events take no place.
      const busy = newId('service')
      await s.verifications.appendEvents([
        {
          verificationId: null,
          serviceId: busy,
          destination: dest,
          type: 'limit_hit',
          at: t0 + 9,
          data: { i: 9 },
        },
      ])
      expect((await s.support.listEventsByDestination(dest, 2, [svc])).map((e) => e.data.i)).toEqual([3, 4])
      expect((await s.support.listEventsByDestination(dest, 2)).map((e) => e.data.i)).toEqual([4, 9])
      expect(await s.support.listEventsByDestination(dest, 2, [])).toEqual([])
    })

    it('entities: factors, unused recovery codes and recovery cases per service', async () => {
      const serviceId = await s.seedEntity('user-7')
      expect(await s.support.findEntity('user-7')).toEqual([
        {
          serviceId,
          totpFactors: 1,
          passkeys: 0,
          recoveryCodes: 2,
          recoveryCases: [
            { id: expect.stringMatching(/^rec_/), status: 'pending_approval', createdAt: expect.any(Number) },
          ],
        },
      ])
      expect(await s.support.findEntity('nobody')).toEqual([])
    })
  })
}
